"""claimcheck: the small, tested library behind *Exaflops & Externalities*.

Data flows one way: ``data/`` (sourced CSVs) -> ``claimcheck`` -> notebooks -> book.
Notebooks import from here; nothing here reads a notebook.
"""

__version__ = "0.1.0"
