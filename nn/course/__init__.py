"""nn.course: the teaching material built on nn — the seeds' worked examples (`walkthrough/`, one
module a seed) and the exercises that check a learner's answers (`exercises/`, one module a
notebook).  Both keep their first names: `nn.walkthrough` and `nn.exercises` are these very
packages (see `keep_old_name`)."""
import importlib
import pkgutil
import sys


def keep_old_name(old, room):
    """Make the package being imported as `old` ('nn.walkthrough') the package nn.course.`room`,
    and each module of it `old.<module>` too: one module object under two names, so that pickle,
    isinstance and a monkeypatch see one copy of each class (importing nn.walkthrough.chain afresh
    would run chain.py a second time and make a second ChainRule)."""
    package = importlib.import_module(f"{__name__}.{room}")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name != '__main__':         # run by `python -m`, never imported
            sys.modules[f"{old}.{module.name}"] = importlib.import_module(
                f"{package.__name__}.{module.name}")
    sys.modules[old] = package                # what `import old` hands back
