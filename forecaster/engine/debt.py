"""The Soviet-era debt deal as a yearly schedule.

Kept apart from the projection because it is a contract, not a forecast: it
depends only on the debt terms and is the same for every random draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .params import Number


@dataclass(frozen=True)
class DebtSchedule:
    """Per-year debt figures in $M for ``years`` (end-of-year outstanding)."""

    years: np.ndarray
    remaining_musd: float  # what is left after the write-off
    scheduled: np.ndarray  # payments due in the year (two semi-annual payments)
    paid: np.ndarray  # scheduled x compliance
    reinvested: np.ndarray  # paid x reinvest share: counted as trade
    outstanding: np.ndarray  # contractual balance plus arrears, end of year


def debt_schedule(params: Mapping[str, Number], years: np.ndarray) -> DebtSchedule:
    remaining = params["debt_total_busd"] * 1000.0 * (1.0 - params["debt_writeoff_pct"] / 100.0)
    n_payments = 2 * int(params["debt_term_years"])
    i = params["debt_interest_pct"] / 100.0 / 2.0  # nominal annual rate, compounded half-yearly
    # expm1/log1p keep the annuity exact for interest rates near zero.
    if i > 0:
        payment = remaining * i / -np.expm1(-n_payments * np.log1p(i))
    else:
        payment = remaining / n_payments

    first = int(params["debt_first_year"])
    # Payments made by the end of each year, from 0 up to n_payments.
    made = np.clip(2 * (years - first + 1), 0, n_payments)
    made_before = np.clip(2 * (years - first), 0, n_payments)
    scheduled = (made - made_before) * payment
    if i > 0:
        growth = np.expm1(made * np.log1p(i))  # (1 + i) ** made - 1
        balance = remaining * (1.0 + growth) - payment * growth / i
    else:
        balance = remaining - payment * made
    balance = np.maximum(balance, 0.0)

    compliance = params["debt_compliance_pct"] / 100.0
    paid = scheduled * compliance
    # Unpaid instalments stay owed (without further interest): the arrears.
    arrears = payment * made * (1.0 - compliance)
    reinvested = paid * (params["debt_reinvest_pct"] / 100.0)
    return DebtSchedule(
        years=years,
        remaining_musd=remaining,
        scheduled=scheduled.astype(float),
        paid=paid.astype(float),
        reinvested=reinvested.astype(float),
        outstanding=(balance + arrears).astype(float),
    )
