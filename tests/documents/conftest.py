import pytest

from shaoxing_bases.documents.samples import gbt9704_specimen


@pytest.fixture(scope="session")
def specimen_pdf() -> bytes:
    """The GB/T 9704 specimen, rendered once for the whole run (about half a second)."""
    return gbt9704_specimen()
