// SPDX-License-Identifier: MIT
#include "benchui.h"

#include "mainwindow.h"
#include "scenario.h"
#include "views/plotview.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSlider>
#include <QStringList>
#include <QTextStream>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace mlastudio::ui {

namespace {

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0.0;
    std::sort(sorted.begin(), sorted.end());
    const double rank = p * double(sorted.size() - 1);
    const auto lo = std::size_t(std::floor(rank));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (rank - double(lo)) * (sorted[hi] - sorted[lo]);
}

} // namespace

int runBenchUi(QTextStream &out, int moves)
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance())) {
        out << "bench-ui: needs a QApplication\n";
        return 1;
    }
    moves = std::max(moves, 1);
    Scenario scenario;
    MainWindow window(&scenario);
    window.setConfirmDiscard([] { return QMessageBox::Discard; });
    window.resize(1600, 1000);
    // A grid of every view instead of tabs, so all of them are visible and replot.
    const QList<QDockWidget *> docks = window.viewDocks();
    for (QDockWidget *dock : docks)
        window.removeDockWidget(dock);
    window.addDockWidget(Qt::RightDockWidgetArea, docks.front());
    for (int i = 1; i < docks.size(); ++i)
        window.splitDockWidget(docks.at(i - 1), docks.at(i), i % 2 ? Qt::Horizontal : Qt::Vertical);
    for (QDockWidget *dock : docks)
        dock->show();
    window.show();
    QCoreApplication::processEvents();

    QElapsedTimer clock;
    clock.start();
    qint64 lastReplotNs = 0;
    int replots = 0;
    QList<QCustomPlot *> plots;
    for (PlotView *view : window.plotViews()) {
        if (!view->isVisible())
            continue;
        plots << view->plot();
        QObject::connect(view->plot(), &QCustomPlot::afterReplot, &window, [&] {
            lastReplotNs = clock.nsecsElapsed();
            ++replots;
        });
    }

    const QStringList fieldIds = {QStringLiteral("dram_bandwidth"), QStringLiteral("kv_length"),
                                  QStringLiteral("batch"), QStringLiteral("peak_compute"),
                                  QStringLiteral("sram_capacity"), QStringLiteral("num_heads")};
    QList<QSlider *> sliders;
    for (const QString &id : fieldIds)
        if (auto *s = window.findChild<QSlider *>(QStringLiteral("slider_") + id))
            sliders << s;
    if (sliders.isEmpty()) {
        out << "bench-ui: no sliders found\n";
        return 1;
    }

    // Warm up caches and fonts so the first measured move is not an outlier.
    for (QCustomPlot *plot : plots)
        plot->replot();
    QCoreApplication::processEvents();

    std::vector<double> ms;
    ms.reserve(std::size_t(moves));
    const int perField = std::max(1, moves / int(sliders.size()));
    for (int i = 0; i < moves; ++i) {
        QSlider *slider = sliders.at((i / perField) % sliders.size());
        // A triangle wave over the slider's range, like a user dragging back and forth.
        const int phase = i % 200;
        const int position = phase < 100 ? phase * 10 : (200 - phase) * 10;
        const int before = replots;
        const qint64 start = clock.nsecsElapsed();
        lastReplotNs = start;
        slider->setValue(position == slider->value() ? position + 1 : position);
        // Queued replots run from the event loop; drain it until a pass brings no new replot.
        int seen = -1;
        while (seen != replots) {
            seen = replots;
            QCoreApplication::processEvents();
        }
        if (replots == before)
            continue;  // no visible plot depends on this value
        ms.push_back(double(lastReplotNs - start) / 1e6);
        if (i % perField == perField - 1)
            scenario.endMerge();
    }

    out << "bench-ui: " << ms.size() << " slider moves over " << sliders.size() << " fields, "
        << plots.size() << " visible plots, " << replots << " replots\n";
    out << QStringLiteral("replot latency: p50 %1 ms, p95 %2 ms, max %3 ms\n")
               .arg(percentile(ms, 0.50), 0, 'f', 2)
               .arg(percentile(ms, 0.95), 0, 'f', 2)
               .arg(ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()), 0, 'f', 2);
    out.flush();
    return 0;
}

} // namespace mlastudio::ui
