"""``--format junit``: JUnit XML, one test suite per document and one test case per claim.

Errors fail their test case; warnings leave it passing with the warning in its system-out, so a
CI that counts failed tests counts what ``--fail-on error`` counts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..records import Report
from .common import short
from .issues import finding_issues
from .registry import RenderOptions, register


@register("junit", "JUnit XML: a test case per claim")
def junit(reports: Sequence[Report], opts: RenderOptions) -> str:
    root = ET.Element("testsuites", name="sourcecheck")
    for r in reports:
        suite = ET.SubElement(root, "testsuite", name=r.document, tests=str(len(r.findings)))
        failures = 0
        for f in r.findings:
            case = ET.SubElement(suite, "testcase", classname=r.document,
                                 name=f"claim {f.claim.id} (line {f.claim.line}): {short(f.claim.text, 80)}")
            issues = list(finding_issues(r.document, f))
            errors = [i for i in issues if i.level == "error"]
            if errors:
                failures += 1
                fail = ET.SubElement(case, "failure", message=errors[0].message, type=errors[0].rule)
                fail.text = "\n".join(f"line {i.line}: {i.message}" for i in errors)
            warnings = [i for i in issues if i.level == "warning"]
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(f"warning, line {i.line}: {i.message}" for i in warnings)
        suite.set("failures", str(failures))
        suite.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
