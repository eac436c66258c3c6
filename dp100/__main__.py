import sys

from dp100.cli import main

sys.exit(main())
