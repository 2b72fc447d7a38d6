"""Bundles: import, export and the sample-marketplace generator (DATA_FORMAT.md)."""

from tandem.bundle.exporter import export_bundle
from tandem.bundle.generator import Generator, VocabSkill
from tandem.bundle.importer import BundleImporter, ImportReport, LineError

__all__ = [
    "BundleImporter",
    "Generator",
    "ImportReport",
    "LineError",
    "VocabSkill",
    "export_bundle",
]
