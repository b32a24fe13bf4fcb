from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every model whose writes change a figure, and the path from one of its rows to its center's id.
WATCHED = {
    "centers.Center": ("pk",),
    "centers.MemberFund": ("center_id",),
    "centers.Recognition": ("center_id",),
    "households.Household": ("center_id",),
    "households.StatusChange": ("household", "center_id"),
    "debts.DebtLine": ("household", "center_id"),
    "debts.DebtBalance": ("line", "household", "center_id"),
    "contracts.Contract": ("center_id",),
    "contracts.Payoff": ("contract", "center_id"),
    "contracts.Repayment": ("contract", "center_id"),
    "contracts.RepaymentLine": ("repayment", "contract", "center_id"),
    "contracts.SavingsEntry": ("contract", "center_id"),
    "contracts.Tranche": ("contract", "center_id"),
    "contracts.ScheduledInstalment": ("contract", "center_id"),
    "visits.CenterReport": ("center_id",),
    "visits.Recommendation": ("report", "center_id"),
    "visits.FollowUp": ("recommendation", "report", "center_id"),
}
# Those whose path ends at a visit report: their writes count only while the report is shared.
OF_REPORT = frozenset({"visits.CenterReport", "visits.Recommendation", "visits.FollowUp"})


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        """Signals see every write, the admin's included: each tells core.events which center changed, and
        the summary tables follow in the same transaction (bulk writes call core.events themselves)."""
        from django.db.models.signals import post_delete, post_init, post_save, pre_save

        from core import events

        from . import rollups, signals

        events.subscribe(rollups.refresh_center)
        for label, path in WATCHED.items():
            model = self.apps.get_model(label)
            receiver = signals.center_receiver(path, of_report=label in OF_REPORT)
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"rollups-save-{label}")
            post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"rollups-delete-{label}")
        for label in ("households.Household", "visits.CenterReport"):
            pre_save.connect(
                signals.remember_previous_center,
                sender=self.apps.get_model(label),
                dispatch_uid=f"rollups-moves-{label}",
            )
        post_init.connect(
            signals.remember_report_status,
            sender=self.apps.get_model("visits.CenterReport"),
            dispatch_uid="rollups-report-status",
        )
