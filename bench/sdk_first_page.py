"""Reference: the first page of GC tasks (100) through the official SDK.

Usage: ``python bench/sdk_first_page.py ENDPOINT INSTANCE_ID`` with the
credentials in the environment (see :mod:`bench.sdk_common`).
"""

import sys

from huaweicloudsdkswr.v2 import ListGcTasksRequest

from bench.sdk_common import build_client, print_tasks


def main(endpoint: str, instance_id: str) -> None:
    """Lists and prints the newest 100 tasks of one instance."""
    client = build_client(endpoint)
    page = client.list_gc_tasks(ListGcTasksRequest(instance_id=instance_id, limit=100))
    print_tasks(page.tasks or [])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
