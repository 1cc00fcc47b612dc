# SPDX-License-Identifier: MIT
# The plot and text views, and figure export.
target_sources(mlastudio_ui PRIVATE
    views/energyview.cpp
    views/energyview.h
    views/explainview.cpp
    views/explainview.h
    views/figurelayout.cpp
    views/figurelayout.h
    views/figuretheme.cpp
    views/figuretheme.h
    views/fieldaxis.cpp
    views/fieldaxis.h
    views/markerstack.h
    views/memoryview.cpp
    views/memoryview.h
    views/plotexporter.cpp
    views/plotexporter.h
    views/plotview.cpp
    views/platformsview.cpp
    views/platformsview.h
    views/plotview.h
    views/rooflineview.cpp
    views/rooflineview.h
    views/schememapview.cpp
    views/schememapview.h
    views/sweepview.cpp
    views/sweepview.h
    views/throughputview.cpp
    views/throughputview.h
    views/validationview.cpp
    views/validationview.h
    views/viewutil.cpp
    views/viewutil.h
    views/viewfactory.cpp
    views/viewfactory.h
)
