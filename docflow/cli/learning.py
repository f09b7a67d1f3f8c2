"""The review queue, labels and the classifier: review, labels, classifier commands."""

from __future__ import annotations

import json
from pathlib import Path

import click

from docflow import evaluation, labels, review, tenants
from docflow.audit import operator
from docflow.cli import cli, database, settings_of
from docflow.cli.params import ROW_ID, WholeNumber
from docflow.models import ClassifierModel, Tenant, utcnow
from docflow.services.learning.store import SHARED, shipped_model, tenant_scope
from docflow.settings import CATEGORIES
from docflow.texttable import text_table
from docflow.timefmt import when_text
from docflow.training import scopes, train_scope
from docflow.uploads import find_tenant


@cli.group("review")
def review_group() -> None:
    """Documents waiting for an operator, and the operator's decisions."""


@review_group.command("list")
@click.option("--tenant", help="Only this tenant's documents.")
@click.option("--limit", default=50, show_default=True, type=WholeNumber(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@click.pass_context
def review_list(ctx: click.Context, tenant: str | None, limit: int, as_json: bool) -> None:
    """Documents routed to manual-review, oldest first, with the classifier's suggestions."""
    with database(ctx):
        tenants.lookup(tenant)  # an unknown name is an error, not an empty answer
        rows = review.waiting(tenant=tenant, limit=limit)
        total = review.count_waiting(tenant)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = [
        (r["id"], r["tenant"], r["filename"][:40], review.suggestions_text(r["suggestions"]))
        for r in rows
    ]
    click.echo(text_table(["id", "tenant", "filename", "suggestions"], table))
    click.echo(
        f"{len(rows)} shown of {total} waiting; decide one with `docflow review assign ID --category C`"
    )


@review_group.command("show")
@click.argument("document_id", type=ROW_ID)
@click.option("--tenant", help="Refuse a document of any other tenant.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@click.pass_context
def review_show(ctx: click.Context, document_id: int, tenant: str | None, as_json: bool) -> None:
    """One document with the classifier's suggestions and the start of its text."""
    with database(ctx):
        tenants.lookup(tenant)  # an unknown name is an error, not an empty answer
        doc = review.show(document_id, tenant=tenant)
    if as_json:
        click.echo(json.dumps(doc, indent=2))
        return
    click.echo(f"document {doc['id']}: {doc['filename']} (tenant {doc['tenant']}), {doc['status']}, "
               f"route {doc['route'] or '-'}")  # fmt: skip
    click.echo(f"  suggestions: {review.suggestions_text(doc['suggestions'])}")
    label = doc["label"]
    if label:
        click.echo(
            f"  decided {label['category']} by {label['actor']} ({label['source']}) at {label['at']}"
        )
    click.echo("\n" + (doc["text"] or "(no text read yet)"))


@review_group.command("assign")
@click.argument("document_id", type=ROW_ID)
@click.option("--category", required=True, type=click.Choice(CATEGORIES))
@click.option("--route", help="Destination (default: the category's, from DOCFLOW_ROUTES).")
@click.option("--tenant", help="Refuse a document of any other tenant.")
@click.pass_context
def review_assign(
    ctx: click.Context, document_id: int, category: str, route: str | None, tenant: str | None
) -> None:
    """Decide what a document is: route it, audit it, and let the classifier learn from it."""
    settings = settings_of(ctx)
    with database(ctx):
        tenants.lookup(tenant)  # an unknown name is an error, not an empty answer
        done = review.assign(document_id, category, route=route, tenant=tenant, settings=settings,
                             actor=operator(), now=utcnow())  # fmt: skip
    was = f" (was {done.previous_category or '-'}, {done.previous_route or '-'})"
    click.echo(f"document {done.document_id}: {done.category}, routed to {done.route}{was}")
    if done.delivery.problem is not None:
        click.echo(f"warning: {done.delivery.describe('webhook delivery')}", err=True)


@cli.group("labels")
def labels_group() -> None:
    """Labelled documents: what the classifier learns from."""


@labels_group.command("import")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--tenant", required=True)
@click.pass_context
def labels_import(ctx: click.Context, folder: Path, tenant: str) -> None:
    """Upload FOLDER/<category>/* for TENANT, each labelled with its folder's category."""
    settings = settings_of(ctx)
    with database(ctx):
        uploaded, counted = labels.import_folder(
            settings, tenant, folder, actor=operator(), now=utcnow()
        )
    summary = ", ".join(f"{n} {c}" for c, n in counted.items())
    click.echo(f"imported {len(uploaded.documents)} labelled documents for {tenant}: {summary}")
    click.echo(uploaded.classification.describe("reading and routing"))


@labels_group.command("export")
@click.option("--tenant")
@click.pass_context
def labels_export(ctx: click.Context, tenant: str | None) -> None:
    """Every document's newest label as JSON lines."""
    with database(ctx):
        tenants.lookup(tenant)  # an unknown name is an error, not an empty answer
        rows = labels.export(tenant=tenant)
    for row in rows:
        click.echo(json.dumps(row))


@cli.group("classifier")
def classifier_group() -> None:
    """The learned classifier: train, status, evaluate."""


@classifier_group.command("train")
@click.option("--tenant", help="Only this tenant's model (tenant scope).")
@click.option("--force", is_flag=True, help="Train even if the labels did not change.")
@click.pass_context
def classifier_train(ctx: click.Context, tenant: str | None, force: bool) -> None:
    """Train the model of each scope (or one tenant's) whose labels changed."""
    settings = settings_of(ctx)
    with database(ctx):
        chosen = scopes(settings)
        if tenant is not None:
            chosen = [(tenant_scope(find_tenant(tenant).id), find_tenant(tenant).id)]
        for scope, tenant_id in chosen:
            click.echo(f"training {scope} ...", err=True)
            outcome = train_scope(settings, scope, tenant_id, now=utcnow(), force=force)
            shown = {"trained": f"version {outcome.version}", "unchanged": "labels unchanged, kept",
                     "too-few-labels": f"{outcome.labels} labels, needs {settings.tenant_model_min_labels}"}  # fmt: skip
            click.echo(f"{scope}: {outcome.status} ({shown[outcome.status]})")


@classifier_group.command("status")
@click.pass_context
def classifier_status(ctx: click.Context) -> None:
    """Per scope: model version, labels per category, estimated precision and automatic share."""
    settings = settings_of(ctx)
    with database(ctx):
        rows: list[tuple[object, ...]] = []
        names: dict[int, str] = {t.id: t.name for t in Tenant.select(Tenant.id, Tenant.name)}
        for model in ClassifierModel.select().order_by(
            ClassifierModel.scope, ClassifierModel.version.desc()
        ):
            if rows and rows[-1][0] == model.scope:
                continue
            per = model.metrics.get("per_category", {})
            precision = ", ".join(
                f"{c} {v['precision']}" for c, v in per.items() if v.get("precision") is not None
            )
            label_counts = ", ".join(f"{c} {n}" for c, n in model.label_counts.items()) or "-"
            who = (
                model.scope
                if not model.scope.startswith("tenant:")
                else f"{model.scope} ({names.get(int(model.scope[7:]), '?')})"
            )
            rows.append((model.scope, who, model.version, when_text(model.created_at), label_counts,
                         model.metrics.get("automatic_share"), precision))  # fmt: skip
    if not any(r[0] == SHARED for r in rows):
        shipped = shipped_model()
        rows.insert(0, (SHARED, "shared (shipped model)", "-", "-", "-", "-", "-") if shipped else
                    (SHARED, "shared: keyword rules only (no model shipped)", "-", "-", "-", "-", "-"))  # fmt: skip
    headers = [
        "scope",
        "",
        "version",
        "trained",
        "labels",
        "automatic share",
        "precision (held out)",
    ]
    click.echo(text_table(headers[1:], [r[1:] for r in rows]))
    click.echo(f"target precision {settings.target_precision}; tenant scope needs "
               f"{settings.tenant_model_min_labels} labels")  # fmt: skip


@classifier_group.command("evaluate")
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="A folder with a sub-folder per category, or a manifest.tsv (path, category).",
)
@click.option(
    "--feedback", is_flag=True, help="Also replay the review loop: chunks, decisions, retraining."
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def classifier_evaluate(ctx: click.Context, corpus: Path, feedback: bool, as_json: bool) -> None:
    """Accuracy, precision/recall, automatic and wrong-desk shares on a labelled corpus."""
    settings = settings_of(ctx)
    say = lambda line: click.echo(line, err=True)  # noqa: E731
    with database(ctx):
        docs = evaluation.read_corpus(corpus, settings, say)
        report = evaluation.evaluate(docs, settings)
        if feedback:
            report["feedback"] = evaluation.feedback(docs, settings, say=say)
    click.echo(json.dumps(report, indent=2) if as_json else evaluation.render(report))
