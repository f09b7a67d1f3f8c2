"""`docflow tenants` as an operator uses it: actions, listing, and refused input."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docflow.cli import cli
from docflow.db import open_database
from docflow.models import AuditEvent, BillingStatus, TenantBilling, TenantQuota


def invoke(env, *args):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def env(settings):
    env = settings.env()
    assert invoke(env, "migrate").exit_code == 0
    assert invoke(env, "tenants", "add", "acme", "--email", "ops@acme.example").exit_code == 0
    return env


def test_actions_are_applied_listed_and_audited(env, settings):
    assert (
        invoke(
            env, "tenants", "set-limits", "acme", "--max-documents", "10", "--max-bytes", "1000"
        ).exit_code
        == 0
    )
    assert (
        "grace period until 2030-01-31 00:00:00 UTC"
        in invoke(env, "tenants", "set-grace", "acme", "--until", "2030-01-31").output
    )
    listing = invoke(env, "tenants", "list").output
    assert (
        "0/10" in listing
        and "0/1,000" in listing
        and "GracePeriod" in listing
        and "2030-01-31" in listing
    )
    assert "acme is active" in invoke(env, "tenants", "activate", "acme").output
    assert "(it already was)" in invoke(env, "tenants", "activate", "acme").output
    assert "(it was not blocked)" in invoke(env, "tenants", "unblock", "acme").output
    shown = invoke(env, "tenants", "show", "acme").output
    assert "contact ops@acme.example" in shown and "billing Active" in shown
    with open_database(settings):
        actions = [a.action for a in AuditEvent.select().order_by(AuditEvent.id)]
        assert TenantBilling.get().status == BillingStatus.ACTIVE
    assert actions == [
        "tenant.added",
        "tenant.limits_set",
        "tenant.grace_period_set",
        "tenant.activated",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set-limits", "acme", "--max-documents", "-5"], "not a whole number from 0 to"),
        (["set-limits", "acme", "--max-bytes", "-1"], "not a whole number from 0 to"),
        (
            ["set-limits", "acme", "--max-documents", "9223372036854775808"],
            "'--max-documents': 9223372036854775808 is not in the range 0<=x<=9223372036854775807",
        ),
        (
            ["set-limits", "acme", "--max-bytes", "99999999999999999999999"],
            "'--max-bytes': 99999999999999999999999 is not in the range 0<=x<=9223372036854775807",
        ),
        (["set-limits", "acme", "--max-documents", " 5"], "' 5' is not a whole number"),
        (["set-limits", "acme", "--max-documents", "1_000"], "'1_000' is not a whole number"),
        (["set-limits", "acme", "--max-documents", "٥"], "'٥' is not a whole number"),
        (["set-limits", "acme", "--max-documents", ""], "'' is not a whole number"),
        (["set-grace", "acme", "--until", "2001-01-01"], "--until 2001-01-01 is in the past"),
        (["set-grace", "acme", "--until", "9999-12-31T23:00-05:00"], "out of range"),
        (["set-limits", "acme"], "give --max-documents, --max-bytes, or --unlimited"),
        (["set-limits", "acme", "--max-documents", "5", "--unlimited"], "not both"),
        (["set-limits", "nobody", "--max-documents", "5"], "unknown tenant 'nobody'"),
        (["set-grace", "acme", "--until", "next tuesday"], "invalid date 'next tuesday'"),
        (["set-grace", "acme", "--until", "2030-01-31T10:00"], "has a time but no zone"),
        (["set-grace", "nobody", "--until", "2030-01-31"], "unknown tenant"),
        (["activate", "nobody"], "unknown tenant"),
        (["unblock", "nobody"], "unknown tenant"),
        (["show", "nobody"], "unknown tenant"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(env, settings, args, message):
    result = invoke(env, "tenants", *args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    with open_database(settings):
        quota, billing = TenantQuota.get(), TenantBilling.get()
        assert (quota.max_documents, quota.max_bytes) == (None, None)
        assert billing.status == BillingStatus.ACTIVE and billing.grace_period_ends_at is None
        assert [a.action for a in AuditEvent.select()] == ["tenant.added"]


def test_limits_fit_the_columns_on_both_backends(backend):
    env = backend.env()
    assert invoke(env, "tenants", "add", "acme").exit_code == 0
    top = str(2**63 - 1)
    done = invoke(env, "tenants", "set-limits", "acme", "--max-documents", top, "--max-bytes", top)
    assert done.exit_code == 0, done.output
    with open_database(backend):
        assert (TenantQuota.get().max_documents, TenantQuota.get().max_bytes) == (2**63 - 1,) * 2
    over = invoke(env, "tenants", "set-limits", "acme", "--max-documents", str(2**63))
    assert over.exit_code == 2 and "Traceback" not in over.output
    assert "0<=x<=9223372036854775807" in over.output


def test_set_limits_says_what_zero_means(env):
    assert "0 allows none" in invoke(env, "tenants", "set-limits", "--help").output
    result = invoke(env, "tenants", "set-limits", "acme", "--max-documents", "0")
    assert result.exit_code == 0, result.output
    assert "0 documents (none allowed: every upload of the tenant will be refused)" in result.output
    result = invoke(env, "tenants", "set-limits", "acme", "--max-bytes", "5000")
    assert "limits of acme set: at most 5,000 bytes;" in result.output
