from advisor.console import main

raise SystemExit(main())
