# SPDX-License-Identifier: MIT
# GUI tests of the views and export: mlastudio_add_test(tst_x GUI SOURCES ui/tst_x.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_views GUI SOURCES ui/tst_views.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_export GUI SOURCES ui/tst_export.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_platformsview GUI SOURCES ui/tst_platformsview.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_compare GUI SOURCES ui/tst_compare.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_layout GUI SOURCES ui/tst_layout.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_cachedtext GUI SOURCES ui/tst_cachedtext.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_figurelayout GUI SOURCES ui/tst_figurelayout.cpp LIBS mlastudio_ui)
