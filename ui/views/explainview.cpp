// SPDX-License-Identifier: MIT
#include "views/explainview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/platformsview.h"
#include "views/viewutil.h"

#include "mlastudio/core/costmodel.h"
#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/serving.h"
#include "mlastudio/core/units.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString big(double v)
{
    if (std::abs(v) < 1e6 && v == std::floor(v))
        return QString::number(v, 'f', 0);
    return QString::number(v, 'g', 4).replace(QStringLiteral("e+"), QStringLiteral("·10^"));
}

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

// "MACs per layer = symbols = values = result", straight from the core's formula.
QString formulaText(const core::Formula &f)
{
    return QStringLiteral("%1 = %2 = %3").arg(fromStd(f.symbolic()), fromStd(f.substituted()), big(f.value()));
}

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td style='padding-right:12px'>%1</td><td>%2</td></tr>").arg(name, value);
}

// Serving figures (docs/model.md §14) for a request whose prompt is the scenario's L and whose output
// is kExplainOutputTokens long: one row each for TTFT and TPOT.
constexpr long long kExplainOutputTokens = 256;

// Why the bound: which roof is the max and by how much over the next.
QString whyBound(double compute, double dram, double sram, double latency)
{
    struct Roof {
        QString name;
        double t;
    };
    Roof roofs[] = {{QObject::tr("compute"), compute}, {QObject::tr("DRAM"), dram}, {QObject::tr("on-chip"), sram},
                    {QObject::tr("latency-floor"), latency}};
    std::sort(std::begin(roofs), std::end(roofs), [](const Roof &a, const Roof &b) { return a.t > b.t; });
    if (!(roofs[0].t > 0.0))
        return QObject::tr("No work: every time is zero.");
    if (!(roofs[1].t > 0.0))
        return QObject::tr("Only the %1 roof applies.").arg(roofs[0].name);
    return QObject::tr("The %1 time is the largest of the roofs, %2× the %3 time: this is %1-bound.")
        .arg(roofs[0].name, QString::number(roofs[0].t / roofs[1].t, 'g', 3), roofs[1].name);
}

// Where the explained scheme stands among the visible ones, by the tie rule of the map and status bar.
QString standing(const Scenario &sc, const core::StepResult &r)
{
    std::vector<const core::StepResult *> shown{&r};
    for (core::Scheme s : sc.visibleSchemes())
        if (s != r.scheme)
            shown.push_back(sc.result(s));
    const std::vector<const core::StepResult *> leaders = core::leadingResults(shown);
    const int percent = qRound(core::kTieFraction * 100);
    if (std::find(leaders.begin(), leaders.end(), &r) == leaders.end())
        return QObject::tr("%1 is %2× faster").arg(schemeName(leaders.front()->scheme),
                                                   QString::number(leaders.front()->tokensPerS / r.tokensPerS, 'f', 2));
    QStringList others;
    for (const core::StepResult *o : leaders)
        if (o != &r)
            others << schemeName(o->scheme);
    if (!others.isEmpty())
        return QObject::tr("ties with %1 (within %2 %)").arg(others.join(QStringLiteral(", "))).arg(percent);
    return shown.size() > 1 ? QObject::tr("the fastest (by more than %1 %)").arg(percent) : QObject::tr("the only one shown");
}

} // namespace

ExplainView::ExplainView(Scenario *scenario, QWidget *parent)
    : QWidget(parent)
    , m_scenario(scenario)
    , m_schemeCombo(new QComboBox(this))
    , m_operatorCombo(new QComboBox(this))
    , m_browser(new QTextBrowser(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    auto *schemeLabel = new QLabel(tr("&Scheme:"), this);
    schemeLabel->setBuddy(m_schemeCombo);
    auto *opLabel = new QLabel(tr("&Operator:"), this);
    opLabel->setBuddy(m_operatorCombo);
    bar->addWidget(schemeLabel);
    bar->addWidget(m_schemeCombo);
    bar->addWidget(opLabel);
    bar->addWidget(m_operatorCombo);
    bar->addStretch(1);
    layout->addLayout(bar);
    layout->addWidget(m_browser, 1);
    m_browser->setOpenLinks(false);
    for (core::Scheme s : core::kAllSchemes)
        m_schemeCombo->addItem(schemeName(s), int(s));
    connect(m_schemeCombo, &QComboBox::activated, this, &ExplainView::onComboChanged);
    connect(m_operatorCombo, &QComboBox::activated, this, &ExplainView::onComboChanged);
    // In a shown window the text follows a dragged slider at most every kRefreshMs: laying out the
    // formula tables costs more than a plot replot, and text that changes faster cannot be read.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ExplainView::refresh);
    // First: a refresh from the same signal must not reuse figures of the old parameters.
    connect(scenario, &Scenario::resultsChanged, this, &ExplainView::clearCaches);
    connect(scenario, &Scenario::resultsChanged, this, &ExplainView::scheduleRefresh);
    connect(scenario, &Scenario::presentationChanged, this, &ExplainView::scheduleRefresh);
    refresh();
}

ExplainView::~ExplainView() = default;

QString ExplainView::html() const
{
    return m_browser->toHtml();
}

void ExplainView::onComboChanged()
{
    if (m_updating)
        return;
    ViewSettings vs = m_scenario->viewSettings();
    vs.explainScheme = core::Scheme(m_schemeCombo->currentData().toInt());
    // Keep the operator index only if the scheme did not change.
    vs.explainOperator = vs.explainScheme == m_scenario->viewSettings().explainScheme ? m_operatorCombo->currentData().toInt() : -1;
    m_scenario->setViewSettings(vs);
}

void ExplainView::fillCombos()
{
    m_updating = true;
    const QSignalBlocker b1(m_schemeCombo), b2(m_operatorCombo);
    const ViewSettings &vs = m_scenario->viewSettings();
    m_schemeCombo->setCurrentIndex(m_schemeCombo->findData(int(vs.explainScheme)));
    m_operatorCombo->clear();
    m_operatorCombo->addItem(tr("Whole step"), -1);
    if (const core::StepResult *r = m_scenario->result(vs.explainScheme))
        for (std::size_t i = 0; i < r->operators.size(); ++i)
            m_operatorCombo->addItem(operatorName(r->operators[i].cost.kind), int(i));
    const int idx = m_operatorCombo->findData(vs.explainOperator);
    m_operatorCombo->setCurrentIndex(idx >= 0 ? idx : 0);
    m_updating = false;
}

void ExplainView::refresh()
{
    // Like the plots: a hidden tab is brought up to date when it is shown.
    if (window()->isVisible() && !isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    fillCombos();
    QString h = QStringLiteral("<html><body>");
    if (m_scenario->results().empty()) {
        m_browser->setHtml(h + invalidInputsHtml() + QStringLiteral("</body></html>"));
        return;
    }
    const ViewSettings &vs = m_scenario->viewSettings();
    const core::StepResult *r = m_scenario->result(vs.explainScheme);
    if (!r) {
        m_browser->setHtml(h + inapplicableHtml() + QStringLiteral("</body></html>"));
        return;
    }
    const QString symbols = symbolsText();
    const int opIndex = vs.explainOperator;
    if (opIndex >= 0 && opIndex < int(r->operators.size()))
        h += operatorHtml(*r, r->operators[std::size_t(opIndex)], symbols);
    else
        h += wholeStepHtml(*r, symbols);
    h += platformsHtml(*r);
    h += notesHtml(*r);
    h += QStringLiteral("</body></html>");
    m_browser->setHtml(h);
}

QString ExplainView::invalidInputsHtml() const
{
    QString h = tr("<h3>Invalid inputs</h3><ul>");
    for (const auto &issue : m_scenario->issues())
        h += QStringLiteral("<li><b>%1</b>: %2</li>")
                 .arg(esc(QString::fromStdString(core::issueSubject(issue, core::IssueStyle::Display))),
                      esc(QString::fromStdString(core::issueText(issue, core::IssueStyle::Display))));
    return h + QStringLiteral("</ul>");
}

QString ExplainView::inapplicableHtml() const
{
    return tr("<h3>%1</h3><p>This scheme does not apply to the model (e.g. an MLA scheme needs d_c &gt; 0).</p>")
        .arg(esc(schemeName(m_scenario->viewSettings().explainScheme)));
}

// The workload's symbols with their values, above either table.
QString ExplainView::symbolsText() const
{
    const core::Parameters &p = m_scenario->parameters();
    const double S = double(core::queryTokensPerRequest(p.workload));
    const double L = double(p.workload.kvLength), B = p.workload.batch;
    const double P = core::scoredPairsPerHead(S, L);
    const double l = p.model.numLayers;
    return tr("B = %1, S = %2, L = %3, T = B·S = %4, l = %5; "
              "P = S·L − S(S−1)/2 = %2·%3 − %2·%6/2 = %7")
        .arg(big(B), big(S), big(L), big(B * S), big(l), big(S - 1), big(P));
}

QString ExplainView::operatorHtml(const core::StepResult &r, const core::OperatorResult &o, const QString &symbols) const
{
    const core::Parameters &p = m_scenario->parameters();
    const core::OperatorCost &c = o.cost;
    const double layersOfScope = p.scope == core::Scope::Kernel ? 1.0 : p.model.numLayers;
    // The FFN operators of the whole-model scope run in some layers only (embedding, LM head: once).
    const double layers = c.layers > 0.0 ? c.layers : layersOfScope;
    QString h = QStringLiteral("<h3>%1 — %2</h3>").arg(esc(schemeName(r.scheme)), esc(operatorName(c.kind)));
    h += QStringLiteral("<p>%1</p>").arg(esc(QString::fromUtf8(core::operatorDescription(c.kind).data(),
                                                                qsizetype(core::operatorDescription(c.kind).size()))));
    h += QStringLiteral("<p><i>%1</i></p><table>").arg(esc(symbols));
    double macsPerLayer = 0.0, flopsPerLayer = 0.0;
    h += operatorWorkRows(r, o, macsPerLayer, flopsPerLayer);
    h += row(tr("FLOPs (%1)").arg(layers > 1.0 && layers == layersOfScope ? tr("all layers")
                                  : layers > 1.0                        ? tr("%1 layers").arg(big(layers))
                                                                        : tr("one layer")),
             esc(QStringLiteral("%1 · %2 = %3").arg(big(flopsPerLayer), big(layers), si(flopsPerLayer * layers, "FLOP"))));
    const double flops = flopsPerLayer * layers, macs = macsPerLayer * layers;
    if (std::abs(flops - c.flops) > 1e-9 * std::max(1.0, c.flops) || std::abs(macs - c.macs) > 1e-9 * std::max(1.0, c.macs))
        h += row(tr("Core model"), esc(tr("%1, %2 MACs (differs from the formula above)").arg(si(c.flops, "FLOP"), si(c.macs, "MAC"))));
    if (c.executedFlops != c.flops)
        h += row(tr("Executed FLOPs"), esc(si(c.executedFlops, "FLOP")));
    h += row(tr("Operand precision"), tr("%1-bit").arg(c.computeBits));
    h += row(tr("DRAM bytes"), esc(tr("%1 (weights %2, KV/latent cache %3 incl. the part on chip)")
                                        .arg(si(c.dramBytes, "B"), si(c.weightBytes, "B"), si(c.cacheBytes, "B"))));
    h += row(tr("On-chip bytes"), esc(si(c.sramBytes, "B")));
    h += row(tr("Intensity"), esc(c.dramBytes > 0.0 ? tr("FLOPs / DRAM bytes = %1 FLOP/B").arg(QString::number(o.intensityFlopPerByte, 'g', 4))
                                                    : tr("no DRAM traffic")));
    h += operatorRoofRows(o);
    h += QStringLiteral("</table><p>%1</p>").arg(esc(whyBound(o.computeTimeS, o.dramTimeS, o.sramTimeS, o.latencyTimeS)));
    return h;
}

QString ExplainView::operatorWorkRows(const core::StepResult &r, const core::OperatorResult &o, double &macsPerLayer,
                                      double &flopsPerLayer) const
{
    const core::Parameters &p = m_scenario->parameters();
    const core::OperatorCost &c = o.cost;
    QString h;
    if (c.kind != core::OperatorKind::Attention) {
        const core::Formula f = core::operatorFormula(p, r.scheme, c.kind);
        h += row(tr("MACs per layer"), esc(f.count ? formulaText(f) : tr("0 (moves data, no arithmetic)")));
        macsPerLayer = f.count ? f.value() : 0.0;
        flopsPerLayer = 2.0 * macsPerLayer;
        return h;
    }
    // One kernel: its parts share one roofline over their summed work.
    for (const core::PartCost &pc : r.attentionParts) {
        const core::AttentionPart part = pc.part;
        const core::Formula f = core::attentionPartFormula(p, r.scheme, part);
        const bool softmax = part == core::AttentionPart::Softmax;
        h += row(tr("%1 %2 per layer").arg(QString::fromUtf8(core::attentionPartId(part).data()),
                                            softmax ? tr("FLOPs") : tr("MACs")),
                 esc(formulaText(f)));
        macsPerLayer += softmax ? f.value() / 2.0 : f.value();
        flopsPerLayer += softmax ? f.value() : 2.0 * f.value();
    }
    const int tileRows = core::kernelTileRows(r.scheme, core::effectiveRoofs(p, c.kernelClass).tileRows);
    h += row(tr("Query rows per KV tile"),
             esc(tileRows > 1
                     ? tr("S·G = %1; padded to the %2-row MMA tile: executed FLOPs of QK and PV × %3")
                           .arg(big(c.queryRowsPerTile)).arg(tileRows).arg(QString::number(c.tilePadding, 'g', 4))
                     : tr("S·G = %1 (the ideal model counts useful FLOPs: no tile padding)").arg(big(c.queryRowsPerTile))));
    return h;
}

// The three roof times with their formulas, the latency floor, the time, bound and energy.
QString ExplainView::operatorRoofRows(const core::OperatorResult &o) const
{
    const core::Parameters &p = m_scenario->parameters();
    const core::HardwareConfig &hw = p.hardware;
    const core::OperatorCost &c = o.cost;
    const core::EffectiveRoofs roofs = core::effectiveRoofs(p, c.kernelClass);
    const double peak = core::peakFlopsForBits(hw, c.computeBits);
    QString h;
    h += row(tr("Compute time"), esc(QStringLiteral("executed FLOPs / (η_c·peak) = %1 / (%2·%3) = %4")
                                          .arg(si(c.executedFlops, "FLOP"), QString::number(roofs.computeEfficiency, 'g', 3), si(peak, "FLOP/s"), si(o.computeTimeS, "s"))));
    h += row(tr("DRAM time"), esc(QStringLiteral("bytes / (η_m·BW_DRAM) = %1 / (%2·%3) = %4")
                                       .arg(si(c.dramBytes, "B"), QString::number(roofs.bandwidthEfficiency, 'g', 3), si(hw.dramBandwidthBytesPerS, "B/s"), si(o.dramTimeS, "s"))));
    h += row(tr("On-chip time"), esc(QStringLiteral("bytes / BW_SRAM = %1 / %2 = %3")
                                          .arg(si(c.sramBytes, "B"), si(hw.sramBandwidthBytesPerS, "B/s"), si(o.sramTimeS, "s"))));
    if (roofs.latencyFloorS > 0.0)
        h += row(tr("Latency floor"), esc(QStringLiteral("launches · t_0 = %1 · %2 = %3")
                                               .arg(big(c.launches), si(roofs.latencyFloorS, "s"), si(o.latencyTimeS, "s"))));
    // The one timing formula of the core (docs/model.md §6), with its overlap of math and DRAM.
    const double overlapS = core::overlappedTimeS(o.computeTimeS, o.dramTimeS, roofs.partialOverlap);
    const QString overlap = roofs.partialOverlap
                                ? QStringLiteral("√(compute² + DRAM²) = %1").arg(si(overlapS, "s"))
                                : QStringLiteral("max(compute, DRAM) = %1").arg(si(overlapS, "s"));
    const QString roofTerm = QStringLiteral("max(%1, on-chip)").arg(overlap);
    h += row(tr("Time"), esc(QStringLiteral("%1%2 = %3")
                                 .arg(roofs.latencyFloorS > 0.0 ? QStringLiteral("latency floor + ") : QString(), roofTerm,
                                      si(o.timeS, "s"))));
    if (roofs.partialOverlap)
        h += row(QString(), esc(tr("Realistic kernels: math and DRAM traffic overlap imperfectly, "
                                   "so near the ridge a kernel takes up to √2 × its roofline time.")));
    h += row(tr("Bound"), QStringLiteral("<b>%1</b>").arg(esc(boundName(o.bound))));
    h += row(tr("Energy"), esc(tr("%1 = compute %2 + on-chip %3 + DRAM %4 + static %5")
                                    .arg(si(o.energyJ, "J"), si(o.computeEnergyJ, "J"), si(o.sramEnergyJ, "J"),
                                         si(o.dramEnergyJ, "J"), si(o.staticEnergyJ, "J"))));
    return h;
}

QString ExplainView::wholeStepHtml(const core::StepResult &r, const QString &symbols)
{
    const core::Parameters &p = m_scenario->parameters();
    QString h = QStringLiteral("<h3>%1 — whole step, %2</h3>").arg(esc(schemeName(r.scheme)), esc(scopeCaption(p)));
    h += QStringLiteral("<p><i>%1</i></p><table>").arg(esc(symbols));
    h += wholeStepRows(r);
    h += comparisonRows(r);
    h += row(tr("Energy per token"),
             esc(si(r.energyPerTokenJ, "J")
                 + (p.hardware.staticPowerW == 0.0 ? tr(" (static power 0 W in this preset: idle energy is not counted)") : QString())));
    h += row(tr("Bound"), QStringLiteral("<b>%1</b>").arg(esc(boundName(r.bound))));
    if (r.scope != core::Scope::Kernel)
        h += servingRows(r);
    h += QStringLiteral("</table>");
    h += operatorTable(r);
    return h;
}

// Memory, work and time of the whole step.
QString ExplainView::wholeStepRows(const core::StepResult &r) const
{
    const core::Parameters &p = m_scenario->parameters();
    const core::HardwareConfig &hw = p.hardware;
    const core::EffectiveRoofs gemmRoofs = core::effectiveRoofs(p, core::KernelClass::Gemm);
    QString h;
    const core::Formula kv = core::kvCacheFormula(p.model, r.scheme, p.precision);
    h += row(tr("KV cache per token"), esc(QStringLiteral("%1 = %2 = %3").arg(fromStd(kv.symbolic()), fromStd(kv.substituted()), si(kv.value(), "B"))));
    h += row(tr("KV cache (B·L tokens)"), esc(si(r.kvCacheBytes, "B")));
    h += row(r.scope == core::Scope::Model ? tr("Weights (whole model)") : tr("Attention weights"), esc(si(r.weightBytes, "B")));
    h += row(tr("DRAM needed / capacity"), esc(QStringLiteral("%1 / %2 (largest batch that fits: %3)")
                                                    .arg(si(r.dramNeededBytes, "B"), si(hw.dramCapacityBytes, "B")).arg(r.maxBatch)));
    h += row(tr("FLOPs"), esc(si(r.flops, "FLOP")));
    h += row(tr("DRAM bytes"), esc(si(r.dramBytes, "B")));
    h += row(tr("On-chip bytes"), esc(si(r.sramBytes, "B")));
    h += row(tr("Intensity"), esc(tr("%1 FLOP/B (ridge %2 FLOP/B)")
                                       .arg(QString::number(r.intensityFlopPerByte, 'g', 4),
                                            QString::number(gemmRoofs.computeEfficiency * hw.peakFlopsBf16 / gemmRoofs.dramBytesPerS, 'g', 4))));
    h += row(r.scope == core::Scope::Kernel ? tr("Kernel time") : tr("Step time"),
             esc(tr("%1 (sum of the kernels' times; operators run one after another)").arg(si(r.timeS, "s"))));
    if (r.scope == core::Scope::Model)
        h += row(tr("Attention share"),
                 esc(tr("%1 % of the step time (%2), %3 % of its energy: what MLA can change end to end")
                         .arg(QString::number(100.0 * r.attentionTimeShare, 'f', 1), si(r.attentionTimeS, "s"),
                              QString::number(100.0 * r.attentionEnergyShare, 'f', 1))));
    if (r.scope != core::Scope::Kernel) {
        const double l = p.model.numLayers;
        for (const auto &o : r.operators)
            if (o.cost.kind == core::OperatorKind::Attention)
                h += row(tr("Attention kernel"),
                         esc(tr("%1 per layer (%2 of the step)")
                                 .arg(si(o.timeS / l, "s"), QStringLiteral("%1 %").arg(100.0 * o.timeS / r.timeS, 0, 'f', 1))));
    }
    h += row(tr("Throughput"), esc(tr("%1 tokens/step / %2 = %3 tokens/s")
                                        .arg(big(r.tokensPerStep), si(r.timeS, "s"), QString::number(r.tokensPerS, 'g', 4))));
    return h;
}

// The step against the other shown schemes and against the pinned reference.
QString ExplainView::comparisonRows(const core::StepResult &r) const
{
    QString h = row(tr("Against the shown schemes"), esc(standing(*m_scenario, r)));
    if (const std::optional<double> change = m_scenario->tokenRateChangeVsReference(r.scheme)) {
        const core::StepResult *ref = m_scenario->referenceResult(r.scheme);
        h += row(tr("Against the reference"),
                 esc(tr("%1 %2 tokens/s vs reference (%3 → %4)")
                         .arg(schemeShortName(r.scheme), signedPercent(*change),
                              QString::fromStdString(core::formatTokenRate(ref->tokensPerS, "tokens/s")),
                              QString::fromStdString(core::formatTokenRate(r.tokensPerS, "tokens/s")))));
    }
    return h;
}

// The roof times summed over operators, then one row per operator.
QString ExplainView::operatorTable(const core::StepResult &r) const
{
    double tc = 0, td = 0, ts = 0;
    for (const auto &o : r.operators) {
        tc += o.computeTimeS;
        td += o.dramTimeS;
        ts += o.sramTimeS;
    }
    QString h = QStringLiteral("<p>%1 %2</p>")
                    .arg(esc(tr("The step is %1-bound: operators limited by that roof take most of its time.").arg(boundName(r.bound))),
                         esc(tr("Summed over operators: compute %1, DRAM %2, on-chip %3.").arg(si(tc, "s"), si(td, "s"), si(ts, "s"))));
    h += QStringLiteral("<table border='0' cellspacing='0' cellpadding='2'><tr><th align='left'>%1</th><th align='right'>%2</th>"
                        "<th align='right'>%3</th><th align='right'>%4</th><th align='left'>%5</th></tr>")
             .arg(tr("operator"), tr("FLOPs"), tr("DRAM bytes"), tr("time"), tr("bound"));
    for (const auto &o : r.operators)
        h += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td><td align='right'>%4</td><td>%5</td></tr>")
                 .arg(esc(operatorName(o.cost.kind)), esc(si(o.cost.flops, "FLOP")), esc(si(o.cost.dramBytes, "B")),
                      esc(si(o.timeS, "s")), esc(boundName(o.bound)));
    return h + QStringLiteral("</table>");
}

QString ExplainView::servingRows(const core::StepResult &r)
{
    const core::Parameters &p = m_scenario->parameters();
    const std::optional<core::ServingResult> &s = serving(r.autoSelected ? std::nullopt : std::optional<core::Scheme>(r.scheme));
    if (!s)
        return {}; // e.g. L + 255 beyond the KV length limit: the step itself is still explained
    return row(tr("TTFT"), esc(tr("%1 (prefill of a %2-token prompt, B = %3)")
                                   .arg(si(s->ttftS, "s")).arg(p.workload.kvLength).arg(p.workload.batch)))
           + row(tr("TPOT"), esc(tr("%1 (mean decode step over %2 output tokens; %3 tokens/s per user)")
                                     .arg(si(s->tpotS, "s")).arg(kExplainOutputTokens).arg(QString::number(s->tokensPerSPerUser, 'g', 4))));
}

const std::optional<core::ServingResult> &ExplainView::serving(std::optional<core::Scheme> scheme)
{
    for (const Serving &s : m_serving)
        if (s.scheme == scheme)
            return s.result;
    const core::Parameters &p = m_scenario->parameters();
    Serving &s = m_serving.emplace_back(Serving{scheme, std::nullopt});
    try {
        s.result = core::evaluateServing(p, scheme, {p.workload.kvLength, kExplainOutputTokens, 0});
    } catch (const core::ModelError &) {
        // e.g. L + 255 beyond the KV length limit: remembered as no figures
    }
    return s.result;
}

// The scheme across the Platforms view's platforms: its utilisation spread (docs/model.md §11).
QString ExplainView::platformsHtml(const core::StepResult &r)
{
    const core::Parameters &p = m_scenario->parameters();
    const core::Scheme explained = m_scenario->viewSettings().explainScheme;
    std::vector<core::Scheme> schemes{explained};
    if (explained != core::Scheme::Mha)
        schemes.push_back(core::Scheme::Mha);
    QString h = tr("<h4>Across platforms</h4>");
    h += QStringLiteral("<p>%1").arg(esc(tr("Utilisation here: %1 % of the roofline at %2 FLOP/B.")
                                             .arg(QString::number(100.0 * core::utilisation(p, r), 'f', 1),
                                                  QString::number(r.intensityFlopPerByte, 'g', 3))));
    for (const core::Stability &s : platformStability(schemes))
        if (s.platforms > 0)
            h += QStringLiteral("<br>") + esc(tr("%1 over %2 platforms: utilisation %3 % to %4 %, max/min %5, CV %6.")
                                                  .arg(schemeName(s.scheme)).arg(s.platforms)
                                                  .arg(QString::number(100.0 * s.minUtilisation, 'f', 1),
                                                       QString::number(100.0 * s.maxUtilisation, 'f', 1),
                                                       QString::number(s.maxOverMin, 'f', 2),
                                                       QString::number(s.coefficientOfVariation, 'f', 3)));
    return h + QStringLiteral("</p>");
}

const std::vector<core::Stability> &ExplainView::platformStability(const std::vector<core::Scheme> &schemes)
{
    // The platforms are the registry's (fixed) with the current hardware as edited: they change with
    // the parameters or the picked list only.
    const QStringList &picked = m_scenario->viewSettings().platforms;
    Platforms &c = m_platforms;
    if (!c.valid || c.picked != picked || c.schemes != schemes) {
        c.valid = true;
        c.picked = picked;
        c.schemes = schemes;
        c.stability = core::stabilityOf(core::comparePlatforms(m_scenario->parameters(), chosenPlatforms(*m_scenario), schemes), schemes);
    }
    return c.stability;
}

void ExplainView::clearCaches()
{
    m_serving.clear();
    m_platforms.valid = false;
}

QString ExplainView::notesHtml(const core::StepResult &r) const
{
    if (r.notes.empty())
        return {};
    QString h = tr("<h4>On chip</h4><ul>");
    for (const auto &n : r.notes)
        h += QStringLiteral("<li>%1</li>").arg(esc(QString::fromStdString(n)));
    return h + QStringLiteral("</ul>");
}

void ExplainView::scheduleRefresh()
{
    if (!window()->isVisible()) {
        refresh();
        return;
    }
    if (m_deferred) {
        m_deferredPending = true;
        return;
    }
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void ExplainView::setRefreshDeferred(bool deferred)
{
    if (deferred == m_deferred)
        return;
    m_deferred = deferred;
    if (deferred) {
        // A refresh already under way from before the press waits as well.
        m_deferredPending = m_deferredPending || m_refreshTimer.isActive();
        m_refreshTimer.stop();
        return;
    }
    // Within kRefreshMs, as any refresh: the plots' antialiased replot comes first.
    if (std::exchange(m_deferredPending, false))
        m_refreshTimer.start();
}

void ExplainView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

} // namespace mlastudio::ui
