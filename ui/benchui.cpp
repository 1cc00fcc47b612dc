// SPDX-License-Identifier: MIT
#include "benchui.h"

#include "controlpanel.h"
#include "mainwindow.h"
#include "presentationwindow.h"
#include "presetregistry.h"
#include "scenario.h"
#include "views/plotview.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QSlider>
#include <QStringList>
#include <QTextStream>
#include <QUndoStack>

#include <qcustomplot.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <memory>
#include <random>
#include <vector>

#include <unistd.h>

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

/** \return a "Vm…:" line of /proc/self/status in MiB, or -1 where there is none (not Linux). */
double procStatusMiB(const char *key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1.0;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;  // kB
    return -1.0;
}

double rssMiB()
{
    return procStatusMiB("VmRSS");
}

/** \return milliseconds since the kernel started this process (/proc/self/stat field 22), or -1. */
double msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1.0;
    const QByteArray text = stat.readAll();
    // Field 2 (the command) may contain spaces; count from the ')' that closes it, at field 3.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    bool ok = false;
    const double startTicks = fields.value(22 - 3).toDouble(&ok);
    timespec now{};
    if (!ok || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1.0;
    const double startS = startTicks / double(sysconf(_SC_CLK_TCK));
    return (double(now.tv_sec) + double(now.tv_nsec) / 1e9 - startS) * 1e3;
}

/** Records the first QEvent::Paint that reaches any widget of one window. */
class FirstPaintFilter final : public QObject
{
public:
    explicit FirstPaintFilter(QWidget *window)
        : m_window(window)
    {
    }
    double ms() const { return m_ms; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (m_ms < 0.0 && event->type() == QEvent::Paint && watched->isWidgetType()
            && static_cast<QWidget *>(watched)->window() == m_window)
            m_ms = msSinceProcessStart();
        return false;
    }

private:
    QWidget *m_window;
    double m_ms = -1.0;
};

/** Counts the paint events that reach \p widgets (the plots), so a bench waits for the pixels
 *  and not only for the replots that asked for them. */
class PaintCounter final : public QObject
{
public:
    PaintCounter(const QList<QCustomPlot *> &plots, int *count)
        : m_count(count)
    {
        for (QCustomPlot *plot : plots)
            plot->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++*m_count;
        return false;
    }

private:
    int *m_count;
};

/** A window with every view visible in a grid (instead of tabs), so all of them replot. */
struct BenchWindow {
    Scenario scenario;
    MainWindow window{&scenario};
    QList<QCustomPlot *> plots;
    double coldStartMs = -1.0;  //!< process start to first paint, for the first window of the process

    BenchWindow()
    {
        window.setConfirmDiscard([] { return QMessageBox::Discard; });
        window.resize(1600, 1000);
        const QList<QDockWidget *> docks = window.viewDocks();
        for (QDockWidget *dock : docks)
            window.removeDockWidget(dock);
        window.addDockWidget(Qt::RightDockWidgetArea, docks.front());
        for (int i = 1; i < docks.size(); ++i)
            window.splitDockWidget(docks.at(i - 1), docks.at(i), i % 2 ? Qt::Horizontal : Qt::Vertical);
        for (QDockWidget *dock : docks)
            dock->show();

        FirstPaintFilter firstPaint(&window);
        qApp->installEventFilter(&firstPaint);
        window.show();
        QElapsedTimer wait;
        wait.start();
        while (firstPaint.ms() < 0.0 && wait.elapsed() < 5000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        qApp->removeEventFilter(&firstPaint);
        coldStartMs = firstPaint.ms();
        QCoreApplication::processEvents();

        for (PlotView *view : window.plotViews())
            if (view->isVisible())
                plots << view->plot();
        // Warm up caches and fonts so the first measured move is not an outlier.
        for (QCustomPlot *plot : plots)
            plot->replot();
        QCoreApplication::processEvents();
    }

    /** Runs queued replots and paints until a pass brings no new one (\p events counts both). */
    static void drain(const int &events)
    {
        int seen = -1;
        while (seen != events) {
            seen = events;
            QCoreApplication::processEvents();
        }
    }
};

bool needsApplication(QTextStream &out)
{
    if (qobject_cast<QApplication *>(QCoreApplication::instance()))
        return false;
    out << "bench-ui: needs a QApplication\n";
    return true;
}

void printColdStart(QTextStream &out, double ms)
{
    if (ms >= 0.0)
        out << QStringLiteral("cold start to first paint %1 ms\n").arg(ms, 0, 'f', 0);
    else
        out << "cold start to first paint n/a\n";
}

void printPeak(QTextStream &out)
{
    out << QStringLiteral("peak memory (VmHWM) %1 MiB\n").arg(procStatusMiB("VmHWM"), 0, 'f', 1);
}

/** Presentation mode at 1920 × 1080: the same slider moves on the presentation's own sliders, timed
 *  to the end of the enlarged view's replot and paint (slides theme, axes locked). */
void benchPresentation(QTextStream &out, MainWindow &window, int moves)
{
    window.setPresentation(true);
    PresentationWindow *presentation = window.presentation();
    presentation->showNormal();  // the offscreen screen is smaller than a projector
    presentation->resize(1920, 1080);
    QCoreApplication::processEvents();
    QCustomPlot *plot = presentation->view()->plot();
    plot->replot();
    QCoreApplication::processEvents();

    QElapsedTimer clock;
    clock.start();
    int replots = 0;
    int events = 0;  // replots and the paints of the view
    const QMetaObject::Connection counter = QObject::connect(plot, &QCustomPlot::afterReplot, plot, [&] {
        ++replots;
        ++events;
    });
    PaintCounter paints({plot}, &events);
    QList<QSlider *> sliders;
    for (core::Field field : PresentationWindow::kKeyFields) {
        const core::FieldInfo &info = core::fieldInfo(field);
        if (auto *s = presentation->findChild<QSlider *>(QStringLiteral("slider_") + QString::fromUtf8(info.id.data(), qsizetype(info.id.size()))))
            sliders << s;
    }
    std::vector<double> ms;
    const int perField = std::max(1, moves / int(std::max<qsizetype>(sliders.size(), 1)));
    for (int i = 0; i < moves && !sliders.isEmpty(); ++i) {
        QSlider *slider = sliders.at((i / perField) % sliders.size());
        const int phase = i % 200;
        const int position = phase < 100 ? phase * 10 : (200 - phase) * 10;
        const int before = replots;
        const qint64 start = clock.nsecsElapsed();
        slider->setValue(position == slider->value() ? position + 1 : position);
        BenchWindow::drain(events);
        if (replots != before)
            ms.push_back(double(clock.nsecsElapsed() - start) / 1e6);
        if (i % perField == perField - 1)
            presentation->scenario()->endMerge();
    }
    QObject::disconnect(counter);
    out << QStringLiteral("presentation mode 1920 × 1080 (%1, slides theme, axes locked): %2 slider moves over %3 fields\n")
               .arg(presentation->view()->viewId())
               .arg(ms.size())
               .arg(sliders.size());
    out << QStringLiteral("presentation slider-to-replot p50 %1 ms, p95 %2 ms, max %3 ms\n")
               .arg(percentile(ms, 0.50), 0, 'f', 2)
               .arg(percentile(ms, 0.95), 0, 'f', 2)
               .arg(ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()), 0, 'f', 2);
    window.setPresentation(false);
    QCoreApplication::processEvents();
}

} // namespace

int runBenchUi(QTextStream &out, int moves)
{
    if (needsApplication(out))
        return 1;
    moves = std::max(moves, 1);
    // Before anything else: the cold start counts only for the first window of the process.
    auto bench = std::make_unique<BenchWindow>();
    printColdStart(out, bench->coldStartMs);
    MainWindow &window = bench->window;

    QElapsedTimer clock;
    clock.start();
    int replots = 0;
    int events = 0;  // replots and the paints of the plots
    for (QCustomPlot *plot : std::as_const(bench->plots)) {
        QObject::connect(plot, &QCustomPlot::afterReplot, &window, [&] {
            ++replots;
            ++events;
        });
    }
    PaintCounter paints(bench->plots, &events);

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

    // A real drag per field: press (the plots draw without antialiasing from here), the moves,
    // release (every plot replots once antialiased). Each move and each release is timed from the
    // slider's change until the event loop is idle again: the replots and the paints they asked for.
    std::vector<double> ms;
    std::vector<std::vector<double>> fieldMs(std::size_t(sliders.size()));
    std::vector<double> releaseMs;
    ms.reserve(std::size_t(moves));
    const int perField = std::max(1, moves / int(sliders.size()));
    QSlider *held = nullptr;
    const auto release = [&] {
        const int before = replots;
        const qint64 start = clock.nsecsElapsed();
        held->setSliderDown(false);  // sliderReleased: the scenario ends the merge, drag mode ends
        BenchWindow::drain(events);
        if (replots != before)
            releaseMs.push_back(double(clock.nsecsElapsed() - start) / 1e6);
        held = nullptr;
    };
    int heldBlock = -1;
    for (int i = 0; i < moves; ++i) {
        const int block = i / perField;
        QSlider *slider = sliders.at(block % sliders.size());
        if (block != heldBlock) {
            if (held)
                release();
            held = slider;
            heldBlock = block;
            slider->setSliderDown(true);  // sliderPressed
            BenchWindow::drain(events);
        }
        // A triangle wave over the slider's range, like a user dragging back and forth.
        const int phase = i % 200;
        const int position = phase < 100 ? phase * 10 : (200 - phase) * 10;
        const int before = replots;
        const qint64 start = clock.nsecsElapsed();
        // As QSlider's mouse move does: the position moves and, tracking, the value follows.
        slider->setSliderPosition(position == slider->sliderPosition() ? position + 1 : position);
        BenchWindow::drain(events);
        if (replots == before)
            continue;  // no visible plot depends on this value
        ms.push_back(double(clock.nsecsElapsed() - start) / 1e6);
        fieldMs[std::size_t(block % sliders.size())].push_back(ms.back());
    }
    if (held)
        release();

    out << "bench-ui: " << ms.size() << " dragged slider moves over " << sliders.size() << " fields, "
        << bench->plots.size() << " visible plots, " << replots << " replots\n";
    out << QStringLiteral("slider-to-replot while dragging (no antialiasing) p50 %1 ms, p95 %2 ms, max %3 ms\n")
               .arg(percentile(ms, 0.50), 0, 'f', 2)
               .arg(percentile(ms, 0.95), 0, 'f', 2)
               .arg(ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()), 0, 'f', 2);
    // Which field costs most: the p95 above is set by the slowest fields' moves.
    QStringList fieldP50;
    for (qsizetype f = 0; f < sliders.size(); ++f)
        fieldP50 << QStringLiteral("%1 %2").arg(sliders.at(f)->objectName().mid(int(qstrlen("slider_")))).arg(percentile(fieldMs[std::size_t(f)], 0.50), 0, 'f', 2);
    out << "slider-to-replot p50 per field (ms): " << fieldP50.join(QStringLiteral(", ")) << '\n';
    out << QStringLiteral("release-to-replot (antialiased, %1 releases) p50 %2 ms, max %3 ms\n")
               .arg(releaseMs.size())
               .arg(percentile(releaseMs, 0.50), 0, 'f', 2)
               .arg(releaseMs.empty() ? 0.0 : *std::max_element(releaseMs.begin(), releaseMs.end()), 0, 'f', 2);
    out.flush();
    benchPresentation(out, window, moves);
    printPeak(out);
    out.flush();
    return 0;
}

int runSoak(QTextStream &out, int moves)
{
    if (needsApplication(out))
        return 1;
    moves = std::max(moves, 1);
    const double processStartRss = rssMiB();
    auto bench = std::make_unique<BenchWindow>();
    printColdStart(out, bench->coldStartMs);
    Scenario &scenario = bench->scenario;
    MainWindow &window = bench->window;

    int replots = 0;
    for (QCustomPlot *plot : std::as_const(bench->plots))
        QObject::connect(plot, &QCustomPlot::afterReplot, &window, [&] { ++replots; });

    QList<QSlider *> sliders;
    for (QSlider *s : window.findChildren<QSlider *>())
        if (s->objectName().startsWith(QLatin1String("slider_")))
            sliders << s;
    if (sliders.isEmpty()) {
        out << "bench-ui: no sliders found\n";
        return 1;
    }
    QStringList models;
    QStringList hardware;
    for (const core::ModelPreset &m : Scenario::presetRegistry().models())
        models << QString::fromStdString(m.config.id);
    for (const core::HardwarePreset &h : Scenario::presetRegistry().hardware())
        hardware << QString::fromStdString(h.config.id);

    // A fixed seed: two runs make the same moves, so their figures compare.
    constexpr unsigned kSeed = 20240607;
    std::mt19937 rng(kSeed);
    auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    // The undo history is bounded (Scenario::kUndoLimit); until it is full it grows by design, so
    // the warm-up lasts until it is full (or half the run, if it never fills).
    int warmup = 0;
    const double startRss = rssMiB();
    out << QStringLiteral("soak: %1 moves over %2 sliders, %3 visible plots, seed %4, warm-up until %5 undo steps\n")
               .arg(moves)
               .arg(sliders.size())
               .arg(bench->plots.size())
               .arg(kSeed)
               .arg(scenario.undoStack()->undoLimit());
    out << QStringLiteral("soak rss at process start %1 MiB, window shown %2 MiB\n")
               .arg(processStartRss, 0, 'f', 1)
               .arg(startRss, 0, 'f', 1);
    out.flush();

    double warmRss = startRss;
    QElapsedTimer clock;
    clock.start();
    for (int i = 1; i <= moves; ++i) {
        const int action = uniform(0, 99);
        if (action < 85) {
            QSlider *slider = sliders.at(uniform(0, int(sliders.size()) - 1));
            // Both ends are where clamping and invalid-input paths live: give them 10 % each.
            const int where = uniform(0, 9);
            const int position = where == 0 ? slider->minimum()
                : where == 1                 ? slider->maximum()
                                             : uniform(slider->minimum(), slider->maximum());
            slider->setValue(position);
            if (uniform(0, 3) == 0)
                scenario.endMerge();  // a release; otherwise the next move of this field merges
        } else if (action < 88) {
            const core::Field field = uniform(0, 2) == 0 ? core::Field::WeightBits
                : uniform(0, 1) == 0                     ? core::Field::KvBits
                                                         : core::Field::ActBits;
            scenario.setField(field, std::array{4.0, 8.0, 16.0}[std::size_t(uniform(0, 2))]);
        } else if (action < 94) {
            // An undo/redo burst, as when a user holds Ctrl+Z and then Ctrl+Shift+Z.
            QUndoStack *undo = scenario.undoStack();
            const int back = uniform(1, 25);
            for (int k = 0; k < back && undo->canUndo(); ++k) {
                undo->undo();
                QCoreApplication::processEvents();
            }
            const int forward = uniform(0, back);
            for (int k = 0; k < forward && undo->canRedo(); ++k) {
                undo->redo();
                QCoreApplication::processEvents();
            }
        } else if (action < 97) {
            if (uniform(0, 1) == 0 && !models.isEmpty())
                scenario.setModelPreset(models.at(uniform(0, int(models.size()) - 1)));
            else if (!hardware.isEmpty())
                scenario.setHardwarePreset(hardware.at(uniform(0, int(hardware.size()) - 1)));
        } else if (action < 98) {
            scenario.setPhase(scenario.parameters().workload.phase == core::Phase::Decode ? core::Phase::Prefill
                                                                                         : core::Phase::Decode);
        } else if (action < 99) {
            if (scenario.reference())
                scenario.clearReference();
            else
                scenario.pinReference();
        } else {
            scenario.resetAllFields();
        }
        BenchWindow::drain(replots);

        if (warmup == 0 && (scenario.undoStack()->count() >= scenario.undoStack()->undoLimit() || i == moves / 2)) {
            warmup = i;
            warmRss = rssMiB();
            out << QStringLiteral("soak rss after warm-up (%1 moves) %2 MiB\n").arg(i).arg(warmRss, 0, 'f', 1);
            out.flush();
        }
        if (i % 1000 == 0) {
            out << QStringLiteral("soak rss at %1 moves %2 MiB, undo steps %3, %4 s\n")
                       .arg(i)
                       .arg(rssMiB(), 0, 'f', 1)
                       .arg(scenario.undoStack()->count())
                       .arg(double(clock.elapsed()) / 1e3, 0, 'f', 1);
            out.flush();
        }
    }
    const double endRss = rssMiB();
    const int measured = warmup > 0 ? moves - warmup : 0;
    out << QStringLiteral("soak: %1 replots in %2 s\n").arg(replots).arg(double(clock.elapsed()) / 1e3, 0, 'f', 1);
    out << QStringLiteral("soak rss at end %1 MiB\n").arg(endRss, 0, 'f', 1);
    if (measured > 0)
        out << QStringLiteral("soak rss growth %1 MiB per 1000 moves after warm-up\n")
                   .arg((endRss - warmRss) / double(measured) * 1000.0, 0, 'f', 2);
    else
        out << "soak rss growth n/a (no moves after warm-up)\n";
    printPeak(out);
    out.flush();
    return 0;
}

} // namespace mlastudio::ui
