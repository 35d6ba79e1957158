import sys

from kreis_data.cli import main

sys.exit(main())
