"""`python -m sim.service`: run the simulated Azure service of DP100_HOME (see `sim.service.server`)."""

import sys

from sim.service import server

sys.exit(server.serve())
