"""``wfpgen explain``: what a problem code means, how to fix it, and where that is documented."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from wfpgen.cli.options import JsonOption
from wfpgen.cli.reporting import print_result, reported_errors

if TYPE_CHECKING:
    from wfpgen.core.validation import Rule

# The commands this module declares (see wfpgen.cli.app).
commands = typer.Typer(rich_markup_mode="rich")


def complete_code(incomplete: str) -> list[str]:
    """The codes that start with what was typed, in any case."""
    from wfpgen.core.validation import RULES

    return [code for code in sorted(RULES) if code.startswith(incomplete.strip().upper())]


@commands.command()
def explain(
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="CODE",
            help="A problem code such as E211 (any case); without one, every code is listed.",
            autocompletion=complete_code,
            show_default=False,
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Explain a problem code: what the rule checks, how to fix it, and the source.

    Every problem `wfpgen new` and `wfpgen validate` report starts with its
    code. An unknown code exits with status 2 and names the closest ones.

    [bold]Examples[/]

      wfpgen explain E211

      wfpgen explain  [dim]# every code with its summary[/]
    """
    from wfpgen.core.validation import closest_codes, find_rule, sorted_rules
    from wfpgen.errors import Problem, SpecError

    with reported_errors(json_output=json_output, command="explain"):
        if code is None:
            rules = sorted_rules()
            if json_output:
                print_result("explain", rules=[_as_json(rule) for rule in rules])
            else:
                typer.echo(
                    "".join(f"{r.code}  {r.severity:7}  {r.summary}\n" for r in rules), nl=False
                )
            return
        rule = find_rule(code)
        if rule is None:
            *others, last = closest_codes(code)
            close = f"{', '.join(others)} or {last}" if others else last
            raise SpecError([Problem("CODE", f"no rule has code '{code}'; did you mean {close}?")])
        if json_output:
            print_result("explain", rules=[_as_json(rule)])
        else:
            typer.echo(_as_text(rule))


def _as_json(rule: "Rule") -> dict[str, Any]:
    return {
        "code": rule.code,
        "severity": rule.severity,
        "summary": rule.summary,
        "explanation": rule.explanation,
        "fix": rule.fix,
        "source": rule.source,
        "checked_in": rule.checked_in,
    }


def _as_text(rule: "Rule") -> str:
    import textwrap

    def paragraph(label: str, text: str) -> str:
        return textwrap.fill(f"{label}{text}", width=79, subsequent_indent="  " if label else "")

    return "\n\n".join(
        [
            f"{rule.code} ({rule.severity}): {rule.summary}",
            paragraph("", rule.explanation),
            paragraph("Fix: ", rule.fix),
            paragraph("Source: ", rule.source),
        ]
    )
