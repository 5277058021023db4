"""The Lessons panel: lessons in course order, steps with live numbers, quizzes, highlights."""
