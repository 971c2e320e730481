from django.db import migrations, models
from django.db.models import Max


def mark_chosen_targets(apps, schema_editor):
    """A stored target other than the cycle's default for its level was chosen by the official."""
    Cycle = apps.get_model("assessments", "Cycle")
    IndicatorResponse = apps.get_model("assessments", "IndicatorResponse")
    ScaleLevel = apps.get_model("smartcity", "ScaleLevel")
    for cycle in Cycle.objects.all():
        highest = ScaleLevel.objects.filter(framework_id=cycle.framework_id).aggregate(
            top=Max("value")
        )["top"]
        if highest is None:
            continue
        ceiling = min(cycle.target_cap, highest) if cycle.target_cap is not None else highest
        chosen = []
        rows = IndicatorResponse.objects.filter(
            assessment__cycle=cycle, target_level__isnull=False
        ).values_list("pk", "self_level", "target_level")
        for pk, level, target in rows.iterator():
            default = None if level is None else max(level, min(level + cycle.target_step, ceiling))
            if target != default:
                chosen.append(pk)
        for start in range(0, len(chosen), 500):
            IndicatorResponse.objects.filter(pk__in=chosen[start : start + 500]).update(
                target_is_default=False
            )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_cycle_scores_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindicatorresponse",
            name="target_is_default",
            field=models.BooleanField(default=True, verbose_name="target is the cycle's default"),
        ),
        migrations.AddField(
            model_name="indicatorresponse",
            name="target_is_default",
            field=models.BooleanField(default=True, verbose_name="target is the cycle's default"),
        ),
        migrations.RunPython(mark_chosen_targets, migrations.RunPython.noop),
    ]
