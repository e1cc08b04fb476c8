"""Mends to citeproc-py 0.11's rendering of single CSL elements, found by the oracle.

Each mend names the oracle cause it removes (tests/oracle/known.py CAUSES) and is
tested in tests/unit/test_csl_rendering.py. Imported (and so applied) by the
package's ``__init__``.
"""

from __future__ import annotations
