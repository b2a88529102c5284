"""The checks the browser tests run on a page: Nu Html Checker, axe-core and layout."""

import json
import subprocess
from pathlib import Path

# axe-core impacts that fail a page; "minor" and "moderate" are reported by axe but
# left to judgement.
FAILING_IMPACTS = {"serious", "critical"}


def vnu_errors(node_modules: Path, files: list[Path]) -> dict[Path, list[str]]:
    """Validate HTML files with the Nu Html Checker in one JVM; errors per file.

    Every file gets an entry, so a file the checker silently skipped cannot pass.
    """
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError as error:
        raise AssertionError(
            f"vnu gave no JSON (exit {result.returncode}): {result.stderr[:2000]}"
        ) from error
    errors: dict[Path, list[str]] = {Path(f).resolve(): [] for f in files}
    for message in report["messages"]:
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")).resolve() if url else None
        where = f"line {message.get('lastLine', '?')}"
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        text = f"{where}: {message.get('message')}  [{extract}]"
        errors.setdefault(path, []).append(text)
    return errors


def axe_violations(page, node_modules: Path, *, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core in the page; return its serious and critical violations."""
    page.add_script_tag(path=str(node_modules / "axe-core" / "axe.min.js"))
    # Only violations are needed: skipping the detail of passes makes a run much faster.
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def unlabelled_controls(page) -> list[str]:
    """Form fields without a <label> or an ARIA label; stricter than axe, which lets a
    placeholder stand in for a label."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
          .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
          .filter(el => !(el.labels && el.labels.length)
                        && !el.getAttribute('aria-label')
                        && !el.getAttribute('aria-labelledby'))
          .map(el => el.outerHTML.slice(0, 120))"""
    )


def horizontal_overflow(page) -> dict | None:
    """None when the page fits its viewport's width; otherwise what sticks out."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          if (root.scrollWidth <= window.innerWidth) return null;
          const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                       + (el.className && typeof el.className === 'string'
                          ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
          return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, wide};
        }"""
    )
