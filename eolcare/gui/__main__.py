"""``python -m eolcare.gui``: open the window (see :mod:`eolcare.gui.app`)."""

import sys

from eolcare.gui.app import main

sys.exit(main())
