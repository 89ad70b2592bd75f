"""Reference: every GC task of an instance through the official SDK.

Follows the marker chain 100 tasks at a time and prints each task as it
arrives. Usage: ``python bench/sdk_full_listing.py ENDPOINT INSTANCE_ID``
with the credentials in the environment (see :mod:`bench.sdk_common`).
"""

import sys

from huaweicloudsdkswr.v2 import ListGcTasksRequest

from bench.sdk_common import build_client, print_tasks


def main(endpoint: str, instance_id: str) -> None:
    """Lists and prints all tasks of one instance, newest first."""
    client = build_client(endpoint)
    marker = None
    while True:
        request = ListGcTasksRequest(instance_id=instance_id, marker=marker, limit=100)
        page = client.list_gc_tasks(request)
        print_tasks(page.tasks or [])
        marker = page.page_info.next_marker if page.page_info else None
        if not marker:
            return


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
