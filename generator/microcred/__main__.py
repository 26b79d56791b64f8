from __future__ import annotations

from microcred.cli import main

raise SystemExit(main())
