# SPDX-License-Identifier: MIT
# GUI tests of the document and main window: mlastudio_add_test(tst_x GUI SOURCES ui/tst_x.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_scenario GUI SOURCES ui/tst_scenario.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_mainwindow GUI SOURCES ui/tst_mainwindow.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_exportdialog GUI SOURCES ui/tst_exportdialog.cpp LIBS mlastudio_ui)
add_dependencies(tst_exportdialog mla-studio)  # runs the real executable for headless exports
mlastudio_add_test(tst_autosave GUI SOURCES ui/tst_autosave.cpp LIBS mlastudio_ui)
add_dependencies(tst_autosave mla-studio)  # kills a real process to leave an autosave behind
mlastudio_add_test(tst_writefaults GUI SOURCES ui/tst_writefaults.cpp LIBS mlastudio_ui)
mlastudio_add_test(tst_presentation GUI SOURCES ui/tst_presentation.cpp LIBS mlastudio_ui)
add_dependencies(tst_presentation mla-studio)  # the deck subcommand writes a handout
