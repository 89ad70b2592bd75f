"""The instance picker: every SWR Enterprise instance of the project."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from swrgc_tui.api.errors import SwrError
from swrgc_tui.api.models import Instance
from swrgc_tui.formatting import local_time, safe_text
from swrgc_tui.tui.screens.base import AppScreen
from swrgc_tui.tui.screens.dialogs import ConfirmScreen
from swrgc_tui.tui.widgets.footer import KeyFooter
from swrgc_tui.tui.widgets.title_bar import TitleBar

COLUMNS = ("Name", "Status", "Spec", "Version", "Created", "Access address")


def instance_cells(instance: Instance) -> tuple[Text, ...]:
    """The row of one instance; a status other than Running is marked."""
    status = safe_text(instance.status) or "unknown"
    marked = Text(status) if instance.is_running else Text(f"⚠ {status}", "bold")
    created = instance.created
    return (
        Text(safe_text(instance.name) or safe_text(instance.id)),
        marked,
        Text(safe_text(instance.spec)),
        Text(safe_text(instance.version)),
        Text(local_time(created)[:16] if created else "—"),
        Text(safe_text(instance.access_address)),
    )


def matches(instance: Instance, text: str) -> bool:
    """True when the filter text appears in any shown field or the id."""
    needle = text.strip().lower()
    fields = (
        instance.name,
        instance.id,
        instance.status,
        instance.spec,
        instance.version,
        instance.access_address,
    )
    return not needle or any(needle in value.lower() for value in fields)


class InstancesScreen(AppScreen):
    """Lists the instances; type to filter, Enter opens the highlighted one.

    Args:
        instances: already listed instances, or None to list them now.
        notice: a line shown above the list, e.g. why the picker came back.
        can_go_back: a main screen lies underneath, so Esc returns to it.
    """

    DEFAULT_CSS = """
    InstancesScreen #instances-notice { background: $warning 20%; padding: 0 1; }
    InstancesScreen #instances-title { padding: 0 1; text-style: bold; }
    InstancesScreen #instances-table { height: 1fr; }
    InstancesScreen #instances-message { height: 1; padding: 0 1; background: $panel; }
    """

    BINDINGS = [
        Binding("enter", "open", "Open", id="picker_open"),
        Binding("escape", "back", "Back", id="picker_back"),
        Binding("ctrl+r", "reload", "Reload", id="picker_reload"),
        Binding("down", "move(1)", "Next instance", show=False),
        Binding("up", "move(-1)", "Previous instance", show=False),
    ]

    def __init__(
        self,
        instances: list[Instance] | None = None,
        *,
        notice: str = "",
        can_go_back: bool = False,
    ) -> None:
        super().__init__()
        self.instances = instances
        self._notice, self._can_go_back = notice, can_go_back
        self._shown: list[Instance] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(Text(self._notice), id="instances-notice", markup=False)
        yield Static(Text(self._title()), id="instances-title", markup=False)
        yield Input(placeholder="Type to filter instances", id="instances-filter")
        yield DataTable(id="instances-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(""), id="instances-message", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#instances-notice").display = bool(self._notice)
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.query_one(Input).focus()
        if self.instances is None:
            self.action_reload()
        else:
            self._fill()

    def _title(self) -> str:
        app = self.swr_app
        project = safe_text(app.project_id or "")
        where = f" of project {project}" if project else ""
        return f"SWR Enterprise instances{where} in {safe_text(app.settings.region)}"

    @property
    def message(self) -> str:
        """The line under the list (loading, empty, error), as plain text."""
        return str(self.query_one("#instances-message", Static).content)

    def _say(self, text: str) -> None:
        self.query_one("#instances-message", Static).update(Text(text))

    def action_reload(self) -> None:
        """Lists the instances again."""
        self._say("Listing instances…")
        self.run_worker(
            self._load(), group="instances", exclusive=True, exit_on_error=False
        )

    async def _load(self) -> None:
        try:
            client = await self.swr_app.ready_client()
            if client is None:
                return
            self.instances = await client.list_instances()
        except SwrError as error:
            problem = self.swr_app.report_failure(error)
            self._say(f"{problem.title}: {problem.summary} · Ctrl+R retries")
            return
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        text = self.query_one(Input).value
        self._shown = [i for i in self.instances or [] if matches(i, text)]
        table.clear()
        for instance in self._shown:
            table.add_row(*instance_cells(instance), key=instance.id)
        total = len(self.instances or [])
        if not total:
            self._say("This project has no SWR Enterprise instances.")
        elif not self._shown:
            self._say(f"No instance matches “{safe_text(text)}” ({total} in all).")
        else:
            # The filter field takes the printable keys, q included.
            shown = f"{len(self._shown)} of {total} instances"
            self._say(f"{shown} · Enter opens · Ctrl+Q quits")

    @on(Input.Changed, "#instances-filter")
    def _filter_changed(self) -> None:
        if self.instances is not None:
            self._fill()

    @on(Input.Submitted, "#instances-filter")
    def _filter_submitted(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Opens the highlighted instance."""
        self._open_row(self.query_one(DataTable).cursor_row)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open_row(event.cursor_row)

    def action_move(self, step: int) -> None:
        """Moves the highlight while the filter field has the focus."""
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(
                row=max(0, min(table.cursor_row + step, table.row_count - 1))
            )

    def action_back(self) -> None:
        """Returns to the task list, if one is open."""
        if self._can_go_back:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._can_go_back if action == "back" else True

    def _open_row(self, row: int) -> None:
        if not 0 <= row < len(self._shown):
            return
        instance = self._shown[row]
        if instance.is_running:
            self.swr_app.open_instance(instance.id, instance)
            return
        name = safe_text(instance.name) or safe_text(instance.id)
        status = safe_text(instance.status) or "in an unknown state"
        question = ConfirmScreen(
            f"{name} is {status}",
            [
                "SWR answers garbage collection requests only for Running "
                "instances, so its GC history may be unavailable or out of date.",
                "Open it anyway?",
            ],
            yes="Open anyway",
            no="Back",
        )
        self.app.push_screen(question, lambda yes: self._confirmed(yes, instance))

    def _confirmed(self, yes: bool | None, instance: Instance) -> None:
        if yes:
            self.swr_app.open_instance(instance.id, instance)
