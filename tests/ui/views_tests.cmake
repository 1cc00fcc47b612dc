# SPDX-License-Identifier: MIT
# GUI tests of the views and export: mlastudio_add_test(tst_x GUI SOURCES ui/tst_x.cpp LIBS mlastudio_ui)
