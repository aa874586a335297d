"""Setting check-ins up on pages: a program's schedules (its director) and one episode's
exceptions (its care team, from the Measures tab)."""
