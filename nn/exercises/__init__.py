"""nn.exercises is nn.course.exercises (nn/course/exercises/), the exercises that check a learner's
answers, under the name the exercise notebooks import."""
from nn.course import keep_old_name

keep_old_name(__name__, 'exercises')
