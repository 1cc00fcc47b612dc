# SPDX-License-Identifier: MIT
# Document, commands, controls and main window.
target_sources(mlastudio_ui PRIVATE
    atomicwrite.cpp
    atomicwrite.h
    scenario.cpp
    scenario.h
    scenariocommands.cpp
    scenariocommands.h
    measuredcsv.cpp
    measuredcsv.h
    controlpanel.cpp
    controlpanel.h
    mainwindow.cpp
    mainwindow.h
    headlinelabel.cpp
    headlinelabel.h
    benchui.cpp
    benchui.h
    exportdialog.cpp
    exportdialog.h
    activeviewtracker.cpp
    activeviewtracker.h
    deck.cpp
    deck.h
    fieldplayer.cpp
    fieldplayer.h
    presentationwindow.cpp
    presentationwindow.h
    autosave.cpp
    autosave.h
)
