// SPDX-License-Identifier: MIT
// Lookups into a rendered QCustomPlot and a tolerant comparison, shared by the view tests.
#pragma once

#include <qcustomplot.h>

#include <QString>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui::test {

inline QCPGraph *graphNamed(QCustomPlot *plot, const QString &name)
{
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->name() == name)
            return plot->graph(i);
    return nullptr;
}

inline bool relClose(double a, double b, double tol = 1e-9)
{
    return std::abs(a - b) <= tol * std::max({1.0, std::abs(a), std::abs(b)});
}

} // namespace mlastudio::ui::test
