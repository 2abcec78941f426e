"""Work done by the background worker (django-tasks, run by ``manage.py db_worker``).
A task only names what to do; the work is in :mod:`reports.builds`."""

from django_tasks import task

from .builds import built_file_build


@task()
def build_report_file(built_id: int) -> str:
    """Build a report file queued by a download (``reports.builds.built_file_request``)."""
    return built_file_build(pk=built_id)
