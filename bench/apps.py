from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (`generate_scale_data`): installed by the development and test settings only, and
    not part of the installed package (pyproject.toml), so production has no such command."""

    name = "bench"
    verbose_name = "Benchmarks"
