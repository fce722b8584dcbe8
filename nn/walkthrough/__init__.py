"""nn.walkthrough is nn.course.walkthrough (nn/course/walkthrough/), the seeds' worked examples,
under the name the notebooks and docs/seeds.md import; `python -m nn.walkthrough` prints every
table."""
from nn.course import keep_old_name

keep_old_name(__name__, 'walkthrough')
