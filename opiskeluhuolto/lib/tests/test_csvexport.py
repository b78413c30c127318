"""lib.csvexport: cells that start like a formula reach the spreadsheet as text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from opiskeluhuolto.lib import csvexport
from opiskeluhuolto.lib.csvexport import csv_response, safe_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.invalid","klik")',
        "@SUM(1+1)",
        "+358401234567",
        "-2+3",
        "\tTAB",
        "\rCR",
        "\nLF",
        "\uff1dSUM(1)",  # full-width equals sign, which Excel also evaluates
    ],
)
def test_formula_starts_become_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["24A", "Etu-Töölö", "alle 5", "<5", "", "a=b", "50.0"])
def test_plain_text_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-3, 0, 2.5, -0.5, Decimal("-1.25")])
def test_numbers_stay_numbers(number):
    assert safe_cell(number) == number


def test_none_and_bools():
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_writer_neutralises_each_cell_and_uses_semicolons():
    out = io.StringIO()
    w = csvexport.writer(out)
    w.writerow(["=1+1", -1, "x;y"])
    w.writerows([["@a", None]])
    assert list(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == [
        ["'=1+1", "-1", "x;y"],
        ["'@a", ""],
    ]


def test_csv_response_is_an_attachment_with_bom_header_and_rows():
    response = csv_response("x.csv", ["=head"], [["-1+2", 3]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [["'=head"], ["'-1+2", "3"]]
