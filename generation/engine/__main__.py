from generation.engine.cli import main

raise SystemExit(main())
