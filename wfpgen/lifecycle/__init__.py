"""The project lifecycle: generating, recording, updating and writing projects on disk.

Generation (``generate``, ``answers``), the base record (``base``), updates and
merges (``update``, ``file_plan``, ``merge``, ``worktree``), drift (``drift``), the
transactional writer and its lock (``transaction``, ``locking``, ``interrupts``), and
what ``wfpgen template`` does (``template_tools``).

It may import ``wfpgen.templating``, ``wfpgen.checks``, ``wfpgen.core`` and the
top-level helpers; never the CLI or the terminal (``wfpgen/lifecycle/ruff.toml``).
"""
