// SPDX-License-Identifier: MIT
#include "views/platformsview.h"

#include "presetregistry.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/cachedtext.h"
#include "views/viewutil.h"

#include "mlastudio/core/report.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

constexpr double kGroupWidth = 0.82;  // share of one key unit filled by a platform's bars

QString classLetter(core::PlatformClass c)
{
    switch (c) {
    case core::PlatformClass::Template: return QStringLiteral("T");
    case core::PlatformClass::Gpu: return QStringLiteral("G");
    case core::PlatformClass::Accelerator: return QStringLiteral("A");
    case core::PlatformClass::Other: break;
    }
    return QStringLiteral("O");
}

QString throughputLabel(core::Normalization n)
{
    switch (n) {
    case core::Normalization::Absolute: return QObject::tr("Tokens/s");
    case core::Normalization::RelativeToMha: return QObject::tr("Speed-up over MHA");
    case core::Normalization::FractionOfPeak: break;
    }
    return QObject::tr("Utilisation of roofline");
}

QString energyLabel(core::Normalization n)
{
    return n == core::Normalization::RelativeToMha ? QObject::tr("Energy / MHA's") : QObject::tr("J/token");
}

struct Part {
    const char *name;
    double core::StepResult::*member;
};
constexpr Part kParts[] = {
    {QT_TRANSLATE_NOOP("PlatformsView", "compute"), &core::StepResult::computeEnergyJ},
    {QT_TRANSLATE_NOOP("PlatformsView", "on-chip"), &core::StepResult::sramEnergyJ},
    {QT_TRANSLATE_NOOP("PlatformsView", "DRAM"), &core::StepResult::dramEnergyJ},
    {QT_TRANSLATE_NOOP("PlatformsView", "static"), &core::StepResult::staticEnergyJ},
};

QColor partColor(int i, const FigureTheme &t)
{
    // As the energy view's breakdown.
    switch (i) {
    case 0: return t.energyCompute;
    case 1: return t.energySram;
    case 2: return t.energyDram;
    default: break;
    }
    return t.energyStatic;
}

double slotKey(int group, int slot, int slotCount)
{
    const double w = kGroupWidth / slotCount;
    return group - kGroupWidth / 2 + w * (slot + 0.5);
}

void setLinearAxis(QCPAxis *axis)
{
    axis->setScaleType(QCPAxis::stLinear);
    axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    axis->setNumberFormat(QStringLiteral("gb"));
    axis->setNumberPrecision(3);
}

// Greedy line breaking at " · " (then at spaces) so that no line is wider than \p width pixels.
QString wrapToWidth(const QString &text, const QFont &font, int width)
{
    const auto advance = [&font](const QString &t) { return textAdvanceF(font, t); };
    QStringList out;
    for (const QString &paragraph : text.split(QLatin1Char('\n'))) {
        QStringList pieces;
        for (const QString &item : paragraph.split(QStringLiteral(" · "))) {
            if (advance(item) <= width) {
                pieces << item;
                continue;
            }
            QString line;
            for (const QString &word : item.split(QLatin1Char(' '))) {
                const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
                if (!line.isEmpty() && advance(candidate) > width) {
                    pieces << line;
                    line = word;
                } else {
                    line = candidate;
                }
            }
            pieces << line;
        }
        QString line;
        for (const QString &piece : pieces) {
            const QString candidate = line.isEmpty() ? piece : line + QStringLiteral(" · ") + piece;
            if (!line.isEmpty() && advance(candidate) > width) {
                out << line;
                line = piece;
            } else {
                line = candidate;
            }
        }
        out << line;
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace

QString stabilityReadout(const std::vector<core::PlatformRow> &rows, const std::vector<core::Scheme> &schemes, bool compact)
{
    const auto figures = core::stabilityOf(rows, schemes);
    QStringList items;
    int platforms = 0;
    for (const core::Stability &s : figures) {
        if (s.platforms == 0)
            continue;
        platforms = std::max(platforms, s.platforms);
        const QString ratio = std::isfinite(s.maxOverMin) ? QString::number(s.maxOverMin, 'f', 2) + QStringLiteral("×")
                                                          : QStringLiteral("∞");
        items << (compact ? QStringLiteral("%1 %2, %3") : QStringLiteral("%1 %2, CV %3"))
                     .arg(schemeShortName(s.scheme), ratio, QString::number(s.coefficientOfVariation, 'f', 3));
    }
    if (items.isEmpty())
        return {};
    if (compact)
        return QObject::tr("Utilisation over %1 platforms, max/min and CV:").arg(platforms) + QStringLiteral(" · ")
               + items.join(QStringLiteral(" · "));
    const QString text = QObject::tr("Utilisation spread over %1 platforms (max/min, coefficient of variation):").arg(platforms);
    return text + QLatin1Char('\n') + items.join(QStringLiteral(" · "));
}

PlatformsView::PlatformsView(Scenario *scenario, QWidget *parent)
    : PlotView(scenario, parent)
    , m_normCombo(new QComboBox(this))
    , m_picker(new QToolButton(this))
{
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    auto *label = new QLabel(tr("&Normalise:"), this);
    label->setBuddy(m_normCombo);
    bar->addWidget(label);
    m_normCombo->addItem(tr("Absolute"), int(core::Normalization::Absolute));
    m_normCombo->addItem(tr("Relative to MHA"), int(core::Normalization::RelativeToMha));
    m_normCombo->addItem(tr("Fraction of roofline peak"), int(core::Normalization::FractionOfPeak));
    m_normCombo->setToolTip(tr("Absolute values, speed-up and energy relative to MHA on the same platform, or "
                               "utilisation of the platform's roofline (saved with the scenario)"));
    bar->addWidget(m_normCombo);
    m_picker->setText(tr("Platforms"));
    m_picker->setPopupMode(QToolButton::InstantPopup);
    m_picker->setToolTip(tr("Choose the hardware platforms to compare (saved with the scenario)"));
    m_picker->setMenu(new QMenu(m_picker));
    bar->addWidget(m_picker);
    bar->addStretch(1);
    mainLayout()->insertLayout(0, bar);
    connect(m_normCombo, &QComboBox::activated, this, &PlatformsView::onNormalizationChosen);
    rebuildPickerMenu();

    QCustomPlot *p = plot();
    QCPLayoutGrid *grid = p->plotLayout();
    // Rows: caption, tokens/s, energy, legends, stability readout. Legends sit outside the bars.
    grid->insertRow(0);
    m_caption = new cachedtext::TextElement(p, QString());
    grid->addElement(0, 0, m_caption);
    m_energyRect = new QCPAxisRect(p);
    grid->addElement(2, 0, m_energyRect);
    // Both legends side by side in one row under the bars, never over them.
    p->axisRect()->insetLayout()->take(p->legend);
    auto *legendRow = new QCPLayoutGrid;
    grid->addElement(3, 0, legendRow);
    legendRow->addElement(0, 0, p->legend);
    m_partLegend = new QCPLegend;
    legendRow->addElement(1, 0, m_partLegend);
    legendRow->setRowSpacing(0);
    for (QCPLegend *legend : {p->legend, m_partLegend}) {
        legend->setLayer(QStringLiteral("legend"));
        legend->setVisible(true);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        legend->setWrap(4);
        legend->setMargins(QMargins(2, 1, 2, 1));
        legend->setRowSpacing(0);
    }
    m_stability = new cachedtext::TextElement(p, QString());
    grid->addElement(4, 0, m_stability);
    grid->setRowStretchFactors({0.001, 1.0, 1.0, 0.001, 0.001});
    grid->setRowSpacing(2);
    for (QCPAxisRect *r : {p->axisRect(), m_energyRect}) {
        r->axis(QCPAxis::atBottom)->grid()->setVisible(false);
        r->setupFullAxesBox(false);
        r->axis(QCPAxis::atTop)->setTicks(false);
        r->axis(QCPAxis::atRight)->setTicks(false);
    }
    // The panels share the platform axis: the upper one needs no room for labels below it.
    p->axisRect()->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
    p->axisRect()->setMargins(QMargins(0, 0, 0, 4));
    auto *margins = new QCPMarginGroup(p);
    p->axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_energyRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    connect(p->axisRect()->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::rangeChanged),
            m_energyRect->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::setRange));
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, &PlatformsView::onMouseMove);
    connect(p, &QCustomPlot::mousePress, this, &PlatformsView::onMousePress);
    applyTheme(theme());
}

PlatformsView::~PlatformsView() = default;

void PlatformsView::themeChanged()
{
    const FigureTheme &t = theme();
    m_caption->setFont(themeFont(t, 0.9));
    m_caption->setTextColor(t.foreground);
    m_stability->setFont(themeFont(t, 0.9));
    m_stability->setTextColor(t.foreground);
    for (QCPLegend *legend : {plot()->legend, m_partLegend}) {
        legend->setFont(themeFont(t));
        legend->setTextColor(t.foreground);
        legend->setBrush(QBrush(t.background));
        legend->setBorderPen(Qt::NoPen);
        legend->setIconSize(int(std::lround(t.fontPointSize * 2.2)), int(std::lround(t.fontPointSize * 1.3)));
    }
}

std::vector<core::HardwareConfig> PlatformsView::chosenPlatforms() const
{
    return ui::chosenPlatforms(*scenario());
}

std::vector<core::HardwareConfig> chosenPlatforms(const Scenario &scenario)
{
    const Scenario *sc = &scenario;
    const QStringList &picked = sc->viewSettings().platforms;
    std::vector<core::HardwareConfig> out;
    const QString current = sc->hardwarePresetId();
    for (const core::HardwarePreset &h : Scenario::presetRegistry().hardware()) {
        const QString id = QString::fromStdString(h.config.id);
        if (!picked.isEmpty() && !picked.contains(id))
            continue;
        // The current hardware as edited, so its bars agree with the other views.
        out.push_back(id == current ? sc->parameters().hardware : h.config);
    }
    return out;
}

void PlatformsView::rebuildPickerMenu()
{
    QMenu *menu = m_picker->menu();
    menu->clear();
    QAction *all = menu->addAction(tr("All presets"));
    connect(all, &QAction::triggered, this, [this] {
        ViewSettings v = scenario()->viewSettings();
        v.platforms.clear();
        scenario()->setViewSettings(v);
    });
    menu->addSeparator();
    QStringList allIds;
    for (const core::HardwarePreset &h : Scenario::presetRegistry().hardware())
        allIds << QString::fromStdString(h.config.id);
    for (const core::HardwarePreset &h : Scenario::presetRegistry().hardware()) {
        const QString id = QString::fromStdString(h.config.id);
        QAction *a = menu->addAction(QStringLiteral("%1  (%2)").arg(id, QString::fromStdString(h.config.name)));
        a->setCheckable(true);
        a->setData(id);
        connect(a, &QAction::toggled, this, [this, id, allIds](bool on) {
            ViewSettings v = scenario()->viewSettings();
            QStringList set = v.platforms.isEmpty() ? allIds : v.platforms;
            if (on && !set.contains(id))
                set << id;
            if (!on)
                set.removeAll(id);
            if (set.isEmpty())
                return rebuild();  // keep at least one platform
            // Keep the registry's order; the full set is stored as "every preset".
            QStringList ordered;
            for (const QString &known : allIds)
                if (set.contains(known))
                    ordered << known;
            for (const QString &other : set)  // ids of presets not installed here stay in the file
                if (!ordered.contains(other))
                    ordered << other;
            v.platforms = ordered == allIds ? QStringList() : ordered;
            scenario()->setViewSettings(v);
        });
    }
}

void PlatformsView::onNormalizationChosen(int index)
{
    ViewSettings v = scenario()->viewSettings();
    v.platformNormalization = core::Normalization(m_normCombo->itemData(index).toInt());
    scenario()->setViewSettings(v);
}

void PlatformsView::rebuild()
{
    QCustomPlot *p = plot();
    clearContent();
    m_rows.clear();
    m_schemes.clear();
    const Scenario *sc = scenario();
    m_normalization = sc->viewSettings().platformNormalization;
    m_normCombo->setCurrentIndex(m_normCombo->findData(int(m_normalization)));
    for (QAction *a : m_picker->menu()->actions())
        if (a->isCheckable()) {
            const QSignalBlocker block(a);
            a->setChecked(sc->viewSettings().platforms.isEmpty() || sc->viewSettings().platforms.contains(a->data().toString()));
        }
    m_stability->setText(QString());
    m_caption->setText(QString());

    if (!sc->issues().empty()) {
        showInvalidInputs();
        return;
    }
    setMessage(QString());
    for (core::Scheme s : sc->visibleSchemes())
        if (core::isApplicable(sc->parameters(), s))
            m_schemes.push_back(s);
    m_rows = core::comparePlatforms(sc->parameters(), chosenPlatforms(), m_schemes);
    if (m_rows.empty() || m_schemes.empty()) {
        setMessage(m_schemes.empty() ? tr("No visible scheme applies to this model") : tr("No platform chosen"));
        return;
    }

    QCPAxis *key = p->axisRect()->axis(QCPAxis::atBottom);
    QCPAxis *eKey = m_energyRect->axis(QCPAxis::atBottom);
    const int n = int(m_rows.size()), slotCount = int(m_schemes.size());
    const double barWidth = kGroupWidth / slotCount * 0.9;
    const QString currentId = sc->hardwarePresetId();

    key->setTickLabels(false);
    for (QCPAxis *a : {key, eKey}) {
        a->setTickLengthIn(0);
        a->setSubTicks(false);
    }

    drawThroughputBars(barWidth);
    drawEnergyBars(barWidth);
    key->setRange(-0.6, n - 0.4);
    eKey->setRange(-0.6, n - 0.4);
    markCurrentHardware(currentId);

    m_captionText = tr("%1 · platforms by machine balance (FLOP/B) · T template, G GPU, A TPU/accelerator, O other · "
                       "shaded: current hardware · outline: scheme")
                        .arg(QString::fromStdString(sc->parameters().model.name));
    m_stabilityText = stabilityReadout(m_rows, m_schemes);
    m_compactStabilityText = stabilityReadout(m_rows, m_schemes, true);
    m_fittedWidth = 0;
    fitToWidth(plot()->width());
}

void PlatformsView::drawThroughputBars(double barWidth)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const int n = int(m_rows.size()), slotCount = int(m_schemes.size());
    QCPAxis *key = p->axisRect()->axis(QCPAxis::atBottom);
    QCPAxis *value = p->axisRect()->axis(QCPAxis::atLeft);
    // Throughput bars, one plottable per scheme and fit (hatched: does not fit in DRAM).
    const bool logThroughput = m_normalization != core::Normalization::FractionOfPeak;
    double lo = INFINITY, hi = 0.0;
    for (const core::PlatformRow &row : m_rows)
        for (const core::PlatformCell &c : row.cells) {
            const double v = core::normalizedThroughput(row, c, m_normalization);
            if (std::isfinite(v) && v > 0.0) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    if (!(hi > 0.0))
        lo = 0.1, hi = 1.0;
    if (logThroughput) {
        setLogAxis(value);
        // The panel is short: a label every decade or two, not one per decade stacked on each other.
        value->ticker()->setTickCount(4);
        value->setRange(decadeBelow(lo), decadeAbove(hi) * 1.0001);
    } else {
        setLinearAxis(value);
        value->setRange(0.0, std::max(1.0, hi) * 1.05);
    }
    value->setLabel(throughputLabel(m_normalization));
    const double base = logThroughput ? value->range().lower : 0.0;
    for (int j = 0; j < slotCount; ++j) {
        const core::Scheme s = m_schemes[std::size_t(j)];
        for (bool fits : {true, false}) {
            auto *bars = new QCPBars(key, value);
            bars->setName(schemeName(s));
            bars->setProperty("scheme", int(s));
            bars->setWidth(barWidth);
            bars->setBaseValue(base);
            bars->setPen(QPen(fits ? t.foreground : t.schemeColor(s), 0.6));
            bars->setBrush(fits ? QBrush(t.schemeColor(s)) : QBrush(t.schemeColor(s), Qt::BDiagPattern));
            QVector<double> keys, values;
            for (int i = 0; i < n; ++i) {
                const core::PlatformRow &row = m_rows[std::size_t(i)];
                const core::PlatformCell &c = row.cells[std::size_t(j)];
                const double v = core::normalizedThroughput(row, c, m_normalization);
                if (c.valid && c.result.fitsInDram == fits && std::isfinite(v)) {
                    keys << slotKey(i, j, slotCount);
                    values << (logThroughput ? std::max(v, base) : v);
                }
            }
            bars->setData(keys, values, true);
            if (!fits)
                bars->removeFromLegend();
        }
    }

}

void PlatformsView::drawEnergyBars(double barWidth)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const int n = int(m_rows.size()), slotCount = int(m_schemes.size());
    QCPAxis *eKey = m_energyRect->axis(QCPAxis::atBottom);
    QCPAxis *eValue = m_energyRect->axis(QCPAxis::atLeft);
    // Energy: stacked parts per scheme; the scheme's colour outlines its stack.
    double top = 0.0;
    bool anyStatic = false;  // presets leave static power at 0: no empty legend entry then
    for (const core::PlatformRow &row : m_rows)
        for (const core::PlatformCell &c : row.cells)
            anyStatic = anyStatic || (c.valid && c.result.staticEnergyJ > 0.0);
    for (int j = 0; j < slotCount; ++j) {
        const core::Scheme s = m_schemes[std::size_t(j)];
        for (bool fits : {true, false}) {
            QCPBars *below = nullptr;
            for (int k = 0; k < 4; ++k) {
                auto *bars = new QCPBars(eKey, eValue);
                bars->setName(tr(kParts[k].name));
                bars->setWidth(barWidth);
                bars->setPen(QPen(t.schemeColor(s), 1.0));
                bars->setBrush(fits ? QBrush(partColor(k, t)) : QBrush(partColor(k, t), Qt::BDiagPattern));
                bars->removeFromLegend(p->legend);
                if (j == 0 && fits && (k != 3 || anyStatic))
                    bars->addToLegend(m_partLegend);
                QVector<double> keys, values;
                for (int i = 0; i < n; ++i) {
                    const core::PlatformRow &row = m_rows[std::size_t(i)];
                    const core::PlatformCell &c = row.cells[std::size_t(j)];
                    if (!c.valid || c.result.fitsInDram != fits || c.result.tokensPerStep <= 0.0)
                        continue;
                    double part = c.result.*kParts[k].member / c.result.tokensPerStep;
                    if (m_normalization == core::Normalization::RelativeToMha) {
                        if (!row.mhaValid || row.mhaEnergyPerTokenJ <= 0.0)
                            continue;
                        part /= row.mhaEnergyPerTokenJ;
                    }
                    keys << slotKey(i, j, slotCount);
                    values << part;
                    if (k == 3)
                        top = std::max(top, core::normalizedEnergy(row, c, m_normalization));
                }
                bars->setData(keys, values, true);
                if (below)
                    bars->moveAbove(below);
                below = bars;
            }
        }
    }
    // A legend swatch for the hatching.
    auto *hatch = new QCPBars(eKey, eValue);
    hatch->setName(tr("does not fit in DRAM"));
    hatch->setProperty("hatch", true);
    hatch->setPen(QPen(t.foreground, 0.6));
    hatch->setBrush(QBrush(t.foreground, Qt::BDiagPattern));
    hatch->removeFromLegend(p->legend);
    hatch->addToLegend(m_partLegend);
    eValue->setRange(0.0, top > 0.0 ? top * 1.05 : 1.0);
    eValue->setNumberFormat(QStringLiteral("gb"));
    eValue->setLabel(energyLabel(m_normalization));

}

void PlatformsView::markCurrentHardware(const QString &currentId)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const int n = int(m_rows.size());
    // The current hardware: a shaded band behind its group in both panels.
    for (int i = 0; i < n; ++i) {
        if (QString::fromStdString(m_rows[std::size_t(i)].hardware.id) != currentId)
            continue;
        for (QCPAxisRect *r : {p->axisRect(), m_energyRect}) {
            auto *band = new QCPItemRect(p);
            band->setLayer(QStringLiteral("grid"));
            band->setClipAxisRect(r);
            for (QCPItemPosition *pos : {band->topLeft, band->bottomRight}) {
                pos->setAxisRect(r);
                pos->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
                pos->setTypeX(QCPItemPosition::ptPlotCoords);
                pos->setTypeY(QCPItemPosition::ptAxisRectRatio);
            }
            band->topLeft->setCoords(i - 0.48, 0.0);
            band->bottomRight->setCoords(i + 0.48, 1.0);
            band->setPen(Qt::NoPen);
            band->setBrush(flatten(t.highlight, t.background));
        }
    }

}

void PlatformsView::fitToWidth(int width)
{
    if (width <= 0 || m_rows.empty() || width == m_fittedWidth)
        return;
    m_fittedWidth = width;
    QCustomPlot *p = plot();
    const int textWidth = std::max(80, width - 12);
    const bool compact = width < 600;  // a single-column figure: the key to the labels lives in the docs and tooltips
    m_caption->setText(wrapToWidth(compact ? m_captionText.section(QStringLiteral(" · "), 0, 0) + QStringLiteral(" · ")
                                                 + tr("T template, G GPU, A TPU/acc., O other")
                                           : m_captionText,
                                   m_caption->font(), textWidth));
    m_stability->setText(wrapToWidth(compact ? m_compactStabilityText : m_stabilityText, m_stability->font(), textWidth));
    // Compact figures use the short scheme names in the legend.
    for (int i = 0; i < p->plottableCount(); ++i) {
        QCPAbstractPlottable *pl = p->plottable(i);
        const QVariant scheme = pl->property("scheme");
        if (scheme.isValid())
            pl->setName(compact ? schemeShortName(core::Scheme(scheme.toInt())) : schemeName(core::Scheme(scheme.toInt())));
    }
    for (int i = 0; i < p->plottableCount(); ++i)
        if (p->plottable(i)->property("hatch").toBool())
            p->plottable(i)->setName(compact ? tr("no DRAM fit") : tr("does not fit in DRAM"));
    // Legends: as many columns as the widest entry allows.
    for (QCPLegend *legend : {p->legend, m_partLegend}) {
        double widest = 0.0;
        for (int i = 0; i < legend->itemCount(); ++i)
            if (auto *item = qobject_cast<QCPPlottableLegendItem *>(legend->item(i)))
                widest = std::max(widest, textAdvanceF(legend->font(), item->plottable()->name()));
        const double entry = widest + legend->iconSize().width() + legend->iconTextPadding() + 16;
        legend->setWrap(std::max(1, int((width - 16) / entry)));
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flow the existing entries
    }
    // Platform labels: id, class letter and machine balance; the id and letter alone when narrow.
    const int n = int(m_rows.size());
    const bool narrow = width < 110 * n;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    QSharedPointer<QCPAxisTickerText> blank(new QCPAxisTickerText);
    for (int i = 0; i < n; ++i) {
        const core::PlatformRow &row = m_rows[std::size_t(i)];
        const QString id = QString::fromStdString(row.hardware.id);
        ticker->addTick(i, narrow ? QStringLiteral("%1 %2").arg(id, classLetter(row.platformClass))
                                  : QStringLiteral("%1 (%2, %3)").arg(id, classLetter(row.platformClass),
                                                                   QString::number(row.machineBalanceFlopPerByte, 'f', 0)));
        blank->addTick(i, QString());
    }
    QCPAxis *eKey = m_energyRect->axis(QCPAxis::atBottom);
    eKey->setTicker(ticker);
    eKey->setTickLabelRotation(width < 60 * n ? 90 : (n > 4 ? 50 : 0));
    eKey->setTickLabelFont(themeFont(theme(), compact ? 0.75 : 1.0));
    for (QCPAxisRect *r : p->axisRects())
        r->setMinimumSize(50, compact ? 24 : 50);
    p->axisRect()->axis(QCPAxis::atBottom)->setTicker(blank);
    for (QCPAxisRect *rect : p->axisRects())
        for (QCPAxis *axis : rect->axes()) {
            const int padding = axis->padding();  // drops the cached margin
            axis->setPadding(padding + 1);
            axis->setPadding(padding);
        }
}

void PlatformsView::prepareForSize(const QSize &size)
{
    fitToWidth(size.width());
}

QString PlatformsView::stabilityText() const
{
    return m_stabilityText;
}

int PlatformsView::groupAt(const QPointF &pixel) const
{
    for (QCPAxisRect *r : {plot()->axisRect(), m_energyRect}) {
        if (!r->rect().contains(pixel.toPoint()))
            continue;
        const double k = r->axis(QCPAxis::atBottom)->pixelToCoord(pixel.x());
        const long i = std::lround(k);
        if (i >= 0 && i < long(m_rows.size()) && std::fabs(k - double(i)) <= 0.5)
            return int(i);
    }
    return -1;
}

QString PlatformsView::hoverText(int index) const
{
    if (index < 0 || index >= int(m_rows.size()))
        return {};
    const core::PlatformRow &row = m_rows[std::size_t(index)];
    QString text = QStringLiteral("<b>%1</b> (%2)<br>%3 · %4 / %5 · balance %6 FLOP/B")
                       .arg(QString::fromStdString(row.hardware.name).toHtmlEscaped(),
                            QString::fromUtf8(core::platformClassName(row.platformClass).data()),
                            QString::fromStdString(row.hardware.id), si(row.hardware.peakFlopsBf16, "FLOP/s"),
                            si(row.hardware.dramBandwidthBytesPerS, "B/s"),
                            QString::number(row.machineBalanceFlopPerByte, 'f', 0));
    if (!row.problem.empty())
        text += QStringLiteral("<br>cannot evaluate: ") + QString::fromStdString(row.problem).toHtmlEscaped();
    text += QStringLiteral("<table>");
    for (const core::PlatformCell &c : row.cells) {
        if (!c.valid)
            continue;
        const double speedup = core::normalizedThroughput(row, c, core::Normalization::RelativeToMha);
        text += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>util %4%</td><td>%5</td><td>×%6 vs MHA</td><td>%7</td></tr>")
                    .arg(schemeName(c.scheme), QString::fromStdString(core::formatTokenRate(c.result.tokensPerS, "tok/s")), si(c.result.energyPerTokenJ, "J/token"),
                         QString::number(100.0 * c.utilisation, 'f', 1), boundName(c.result.bound),
                         std::isfinite(speedup) ? QString::number(speedup, 'g', 3) : QStringLiteral("–"),
                         c.result.fitsInDram ? QString() : tr("does not fit"));
    }
    text += QStringLiteral("</table>");
    if (const auto winner = core::fastestScheme(row))
        text += tr("Winner: %1").arg(schemeName(*winner));
    text += QStringLiteral("<br><i>%1</i>").arg(tr("Click to make it the current hardware"));
    return text;
}

void PlatformsView::onMouseMove(QMouseEvent *event)
{
    const int i = groupAt(event->position());
    if (i >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), hoverText(i), plot());
    else
        QToolTip::hideText();
}

void PlatformsView::onMousePress(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const int i = groupAt(event->position());
    if (i < 0)
        return;
    const QString id = QString::fromStdString(m_rows[std::size_t(i)].hardware.id);
    if (id != scenario()->hardwarePresetId())
        scenario()->setHardwarePreset(id);  // one undo step
}

QStringList PlatformsView::csvRows() const
{
    QStringList rows{QStringLiteral("hardware,platform_class,machine_balance_flop_per_byte,scheme,tokens_per_s,"
                                    "energy_per_token_j,utilisation,bound,fits_in_dram,normalization,"
                                    "normalized_throughput,normalized_energy")};
    const QString norm = QString::fromUtf8(core::normalizationId(m_normalization).data());
    for (const core::PlatformRow &row : m_rows)
        for (const core::PlatformCell &c : row.cells) {
            if (!c.valid)
                continue;
            rows << QStringList{QString::fromStdString(row.hardware.id),
                                QString::fromUtf8(core::platformClassId(row.platformClass).data()),
                                QString::number(row.machineBalanceFlopPerByte, 'g', 10), schemeIdString(c.scheme),
                                QString::number(c.result.tokensPerS, 'g', 10),
                                QString::number(c.result.energyPerTokenJ, 'g', 10), QString::number(c.utilisation, 'g', 10),
                                QString::fromUtf8(core::boundId(c.result.bound).data()),
                                c.result.fitsInDram ? QStringLiteral("true") : QStringLiteral("false"), norm,
                                QString::number(core::normalizedThroughput(row, c, m_normalization), 'g', 10),
                                QString::number(core::normalizedEnergy(row, c, m_normalization), 'g', 10)}
                        .join(QLatin1Char(','));
        }
    return rows;
}

nlohmann::json PlatformsView::dataJson() const
{
    nlohmann::json doc = core::platformsToJson(scenario()->parameters(), m_rows, m_normalization);
    return doc["results"];
}

} // namespace mlastudio::ui
