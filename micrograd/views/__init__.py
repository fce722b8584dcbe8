"""What a learner sees of a graph: its names and formulas, its steps, its pictures, its player.

    graph.py        describe(root) -> Graph: names, formulas, roles, neuron and example groups
    trace.py        forward_steps / backward_steps: each chain-rule product, explained
    render.py       draw_dot / to_svg / to_png / to_pdf, in stages: groups.py (what goes where),
                    dot.py (DOT text), layout.py (size), fit.py (slides), renderer.py (dot or wasm)
    player.py       step_through: the steps as a page you click through (+ player_math.py, assets/)

Each reads the engine only through its public face (Value, topological_order, node.op); the
functions are imported from `micrograd` itself (micrograd.draw_dot, micrograd.step_through…).
"""
