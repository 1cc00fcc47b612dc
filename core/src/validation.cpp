// SPDX-License-Identifier: MIT
#include "mlastudio/core/validation.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

namespace mlastudio::core {

using nlohmann::json;

namespace {

// The latency floor core::validate() accepts (besides 0), from the shared input table.
double clampedFloorS(double floorS)
{
    const InputLimit *limit = inputLimit("derate.latency_floor");
    return floorS < limit->min ? 0.0 : std::min(floorS, limit->max);
}

// The KV heads the scheme reads: n_h for MHA, n_kv for GQA, one for MQA and the MLA latent.
int kvHeadsOf(const ValidationRow &r)
{
    switch (r.point.scheme) {
    case Scheme::Mha: return r.params.model.numHeads;
    case Scheme::Gqa: return r.params.model.numKvHeads;
    case Scheme::MlaNaive: return r.params.model.numHeads;
    default: return 1;
    }
}

std::string fixed(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string micro(double s)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", s * 1e6);
    return buf;
}

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

json efficienciesJson(const KernelEfficiencies &e)
{
    return {{"attention_compute", e.computeDerate}, {"attention_bandwidth", e.bandwidthDerate},
            {"latency_floor_s", e.latencyFloorS}};
}

// "a.csv:3-5,9; b.csv:2": the rows' ids, consecutive lines of one file as ranges.
std::string pointList(const std::vector<ValidationRow> &rows, const std::vector<std::size_t> &indices)
{
    std::vector<std::pair<std::string, std::vector<int>>> files;
    for (std::size_t i : indices) {
        const MeasuredPoint &p = rows[i].point;
        auto it = std::find_if(files.begin(), files.end(), [&](const auto &f) { return f.first == p.file; });
        if (it == files.end()) {
            files.push_back({p.file, {}});
            it = files.end() - 1;
        }
        it->second.push_back(p.line);
    }
    std::string out;
    for (auto &[file, lines] : files) {
        std::sort(lines.begin(), lines.end());
        if (!out.empty())
            out.append("; ");
        out.append(file);
        out.push_back(':');
        for (std::size_t i = 0; i < lines.size();) {
            std::size_t j = i;
            while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1)
                ++j;
            if (i > 0)
                out.push_back(',');
            out.append(std::to_string(lines[i]));
            if (j > i) {
                out.push_back('-');
                out.append(std::to_string(lines[j]));
            }
            i = j + 1;
        }
    }
    return out;
}

const HardwareFit *fitOfRow(const std::vector<HardwareFit> *fits, std::size_t row, std::size_t &position)
{
    if (!fits)
        return nullptr;
    for (const HardwareFit &f : *fits)
        for (std::size_t k = 0; k < f.rows.size(); ++k)
            if (f.rows[k] == row) {
                position = k;
                return &f;
            }
    return nullptr;
}

} // namespace

double kernelTimeS(const Parameters &params, Scheme scheme)
{
    Parameters p = params;
    p.scope = Scope::Kernel;
    return evaluate(p, scheme).timeS;
}

void predictRow(ValidationRow &row, const KernelTimeFunction &kernelTime)
{
    row.params.applyDerates = false;
    row.predictedOffS = kernelTime(row.params, row.point.scheme);
    row.params.applyDerates = true;
    row.predictedOnS = kernelTime(row.params, row.point.scheme);
}

ValidationSummary summarizeValidation(const std::vector<ValidationRow> &rows)
{
    ValidationSummary s;
    s.points = rows.size();
    for (const ValidationRow &r : rows)
        s.anomalous += r.point.anomalous ? 1 : 0;
    // The statistics leave out points their source marks anomalous (all points when every one is).
    const bool skipAnomalous = s.anomalous < rows.size();
    std::vector<double> measured, on, off, ratioOn, ratioOff, measuredAll, onAll, offAll;
    double worst = -1.0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ValidationRow &r = rows[i];
        measuredAll.push_back(r.point.measuredTimeS);
        onAll.push_back(r.predictedOnS);
        offAll.push_back(r.predictedOffS);
        if (r.point.anomalous && skipAnomalous)
            continue;
        measured.push_back(r.point.measuredTimeS);
        on.push_back(r.predictedOnS);
        off.push_back(r.predictedOffS);
        ratioOn.push_back(r.ratioOn());
        ratioOff.push_back(r.ratioOff());
        const double error = std::abs(std::log(r.ratioOn()));
        if (error > worst) {
            worst = error;
            s.worstIndex = i;
        }
        if (!r.point.anomalous && (r.ratioOn() > 2.0 || r.ratioOn() < 0.5))
            s.offBy2x.push_back(i);
    }
    s.mapeOnPct = meanAbsolutePercentageError(on, measured);
    s.mapeOffPct = meanAbsolutePercentageError(off, measured);
    s.mapeOnAllPct = meanAbsolutePercentageError(onAll, measuredAll);
    s.mapeOffAllPct = meanAbsolutePercentageError(offAll, measuredAll);
    s.medianRatioOn = median(ratioOn);
    s.medianRatioOff = median(ratioOff);
    return s;
}

KernelEfficiencies kernelEfficienciesOf(const HardwareConfig &hw)
{
    return {hw.attentionComputeDerate, hw.attentionBandwidthDerate, hw.kernelLatencyFloorS};
}

void setKernelEfficiencies(HardwareConfig &hw, const KernelEfficiencies &e)
{
    hw.attentionComputeDerate = e.computeDerate;
    hw.attentionBandwidthDerate = e.bandwidthDerate;
    hw.kernelLatencyFloorS = e.latencyFloorS;
}

std::vector<HardwareFit> calibrateRows(const std::vector<ValidationRow> &rows, const KernelTimeFunction &kernelTime,
                                       double priorWeight)
{
    std::vector<HardwareFit> fits;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].point.anomalous)
            continue;  // a point its source calls anomalous does not calibrate the preset
        const std::string &id = rows[i].point.hardwareId;
        auto it = std::find_if(fits.begin(), fits.end(), [&](const HardwareFit &f) { return f.hardwareId == id; });
        if (it == fits.end()) {
            fits.push_back({id, {}, {}});
            it = fits.end() - 1;
        }
        it->rows.push_back(i);
    }
    for (HardwareFit &f : fits) {
        std::vector<double> measured;
        std::vector<std::string> sources;
        std::vector<Parameters> params;
        for (std::size_t i : f.rows) {
            measured.push_back(rows[i].point.measuredTimeS);
            sources.push_back(rows[i].point.source);
            params.push_back(rows[i].params);
            params.back().applyDerates = true;
        }
        const KernelTimePredictor predict = [&](std::size_t k, const KernelEfficiencies &e) {
            Parameters p = params[k];
            KernelEfficiencies valid = e;
            // core::validate() accepts a floor of 0 or 1 ns to 10 ms; below 1 ns it is no floor.
            valid.latencyFloorS = clampedFloorS(e.latencyFloorS);
            setKernelEfficiencies(p.hardware, valid);
            try {
                return kernelTime(p, rows[f.rows[k]].point.scheme);
            } catch (const ModelError &) {
                return std::numeric_limits<double>::infinity();  // outside what the model accepts: never the best fit
            }
        };
        f.calibration = calibrate(measured, sources, predict, kernelEfficienciesOf(params.front().hardware), priorWeight);
        // Report the floors as the predictor used them.
        const auto normalize = [](KernelEfficiencies &e) {
            e.latencyFloorS = clampedFloorS(e.latencyFloorS);
        };
        normalize(f.calibration.fit.fitted);
        for (SourceHoldout &h : f.calibration.holdouts)
            normalize(h.fitted);
    }
    return fits;
}

FitSummary summarizeFits(const std::vector<ValidationRow> &rows, const std::vector<HardwareFit> &fits)
{
    std::vector<double> measured, before, after, holdout;
    for (const HardwareFit &f : fits)
        for (std::size_t k = 0; k < f.rows.size(); ++k) {
            measured.push_back(rows[f.rows[k]].point.measuredTimeS);
            before.push_back(f.calibration.predictedStartS[k]);
            after.push_back(f.calibration.predictedFittedS[k]);
            holdout.push_back(f.calibration.predictedHoldoutS[k]);
        }
    return {meanAbsolutePercentageError(before, measured), meanAbsolutePercentageError(after, measured),
            meanAbsolutePercentageError(holdout, measured)};
}

json validationToJson(const std::vector<ValidationRow> &rows, const ValidationSummary &summary,
                      const std::vector<HardwareFit> *fits)
{
    json points = json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ValidationRow &r = rows[i];
        const MeasuredPoint &p = r.point;
        const ModelConfig &m = r.params.model;
        json j = {
            {"id", p.id()}, {"file", p.file}, {"line", p.line}, {"source", p.source}, {"hardware", p.hardwareId},
            {"model", p.modelId}, {"scheme", std::string(schemeId(p.scheme))}, {"phase", phaseId(p.phase)},
            {"batch", p.batch}, {"seq_len", p.seqLen}, {"query_len", queryTokensPerRequest(r.params.workload)},
            {"heads", m.numHeads}, {"kv_heads", m.numKvHeads}, {"head_dim", m.qkNopeHeadDim},
            {"v_head_dim", m.vHeadDim}, {"kv_lora_rank", m.kvLoraRank}, {"rope_dim", m.qkRopeHeadDim},
            {"dtype", std::string(measuredDtypeId(p.dtype))}, {"measured_s", p.measuredTimeS},
            {"predicted_on_s", r.predictedOnS}, {"predicted_off_s", r.predictedOffS}, {"ratio", r.ratioOn()},
            {"ratio_off", r.ratioOff()}, {"anomalous", p.anomalous}, {"note", p.note},
        };
        std::size_t k = 0;
        if (const HardwareFit *f = fitOfRow(fits, i, k)) {
            j["predicted_fit_s"] = f->calibration.predictedFittedS[k];
            j["predicted_holdout_s"] = f->calibration.predictedHoldoutS[k];
        }
        points.push_back(std::move(j));
    }
    json offIds = json::array();
    for (std::size_t i : summary.offBy2x)
        offIds.push_back(rows[i].point.id());
    json doc = {
        {"schema", kValidateSchema},
        {"scope", "kernel"},
        {"points", std::move(points)},
        {"summary",
         {{"points", summary.points}, {"anomalous", summary.anomalous}, {"mape_on_pct", summary.mapeOnPct},
          {"mape_off_pct", summary.mapeOffPct}, {"mape_on_all_pct", summary.mapeOnAllPct},
          {"mape_off_all_pct", summary.mapeOffAllPct}, {"median_ratio_on", summary.medianRatioOn},
          {"median_ratio_off", summary.medianRatioOff},
          {"worst", rows.empty() ? json() : json{{"id", rows[summary.worstIndex].point.id()}, {"ratio", rows[summary.worstIndex].ratioOn()}}},
          {"off_by_2x", summary.offBy2x.size()}, {"off_by_2x_ids", std::move(offIds)}}},
    };
    if (fits) {
        json list = json::array();
        for (const HardwareFit &f : *fits) {
            const HardwareCalibration &c = f.calibration;
            json holdouts = json::array();
            for (const SourceHoldout &h : c.holdouts)
                holdouts.push_back({{"source", h.source}, {"points", h.points.size()}, {"refitted", h.refitted},
                                    {"fitted", efficienciesJson(h.fitted)}});
            json ids = json::array();
            for (std::size_t i : f.rows)
                ids.push_back(rows[i].point.id());
            list.push_back({{"hardware", f.hardwareId}, {"points", std::move(ids)}, {"before", efficienciesJson(c.fit.start)},
                            {"after", efficienciesJson(c.fit.fitted)},
                            {"identified", {{"attention_compute", c.fit.computeIdentified},
                                            {"attention_bandwidth", c.fit.bandwidthIdentified},
                                            {"latency_floor", c.fit.floorIdentified}}},
                            {"mape_before_pct", c.mapeStartPct}, {"mape_after_pct", c.mapeFittedPct},
                            {"mape_holdout_pct", c.mapeHoldoutPct}, {"holdouts", std::move(holdouts)}});
        }
        const FitSummary s = summarizeFits(rows, *fits);
        doc["fit"] = {{"hardware", std::move(list)},
                      {"summary", {{"mape_before_pct", s.mapeBeforePct}, {"mape_after_pct", s.mapeAfterPct},
                                   {"mape_holdout_pct", s.mapeHoldoutPct}}}};
    }
    return doc;
}

std::string validationToCsv(const std::vector<ValidationRow> &rows, const ValidationSummary &summary,
                            const std::vector<HardwareFit> *fits)
{
    std::ostringstream out;
    out << "id,source,hardware,model,scheme,phase,batch,seq_len,query_len,heads,kv_heads,dtype,measured_s,"
           "predicted_on_s,predicted_off_s,ratio,ratio_off,anomalous";
    if (fits)
        out << ",predicted_fit_s,predicted_holdout_s";
    out << "\n";
    out.precision(10);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ValidationRow &r = rows[i];
        const MeasuredPoint &p = r.point;
        out << csvField(p.id()) << ',' << csvField(p.source) << ',' << p.hardwareId << ',' << p.modelId << ','
            << schemeId(p.scheme) << ',' << phaseId(p.phase) << ',' << p.batch << ',' << p.seqLen << ','
            << queryTokensPerRequest(r.params.workload) << ',' << r.params.model.numHeads << ',' << kvHeadsOf(r) << ','
            << measuredDtypeId(p.dtype) << ',' << p.measuredTimeS << ',' << r.predictedOnS << ',' << r.predictedOffS
            << ',' << r.ratioOn() << ',' << r.ratioOff() << ',' << (p.anomalous ? 1 : 0);
        if (fits) {
            std::size_t k = 0;
            if (const HardwareFit *f = fitOfRow(fits, i, k))
                out << ',' << f->calibration.predictedFittedS[k] << ',' << f->calibration.predictedHoldoutS[k];
            else
                out << ",,";
        }
        out << "\n";
    }
    out << "# mape_on_pct=" << summary.mapeOnPct << ", mape_off_pct=" << summary.mapeOffPct
        << ", mape_on_all_pct=" << summary.mapeOnAllPct << ", mape_off_all_pct=" << summary.mapeOffAllPct
        << ", median_ratio_on=" << summary.medianRatioOn << ", median_ratio_off=" << summary.medianRatioOff << "\n";
    if (!rows.empty())
        out << "# worst=" << rows[summary.worstIndex].point.id() << " ratio=" << rows[summary.worstIndex].ratioOn()
            << ", off_by_2x=" << summary.offBy2x.size() << "\n";
    if (fits) {
        const FitSummary s = summarizeFits(rows, *fits);
        out << "# fit: mape_before_pct=" << s.mapeBeforePct << ", mape_after_pct=" << s.mapeAfterPct
            << ", mape_holdout_pct=" << s.mapeHoldoutPct << "\n";
    }
    return out.str();
}

std::string validationToTable(const std::vector<ValidationRow> &rows, const ValidationSummary &summary,
                              const std::vector<HardwareFit> *fits)
{
    std::ostringstream out;
    std::size_t idWidth = 5;
    for (const ValidationRow &r : rows)
        idWidth = std::max(idWidth, r.point.id().size());
    out << rows.size() << " measured points; predicted: the attention kernel of one layer (kernel scope), "
        << "derates off (ideal roofline) and on (realistic); ratio = predicted (on) / measured\n\n";
    char line[1024];
    std::snprintf(line, sizeof line, "%-*s %-14s %-16s %-7s %5s %7s %5s %8s %11s %11s %11s %7s\n", int(idWidth), "point",
                  "hardware", "scheme", "phase", "B", "L", "S", "heads", "off (us)", "on (us)", "meas. (us)", "ratio");
    out << line;
    for (const ValidationRow &r : rows) {
        const MeasuredPoint &p = r.point;
        const std::string heads = std::to_string(r.params.model.numHeads) + "/" + std::to_string(kvHeadsOf(r));
        std::snprintf(line, sizeof line, "%-*s %-14s %-16s %-7s %5d %7lld %5lld %8s %11s %11s %11s %7.3f%s\n", int(idWidth),
                      p.id().c_str(), p.hardwareId.c_str(), std::string(schemeId(p.scheme)).c_str(),
                      phaseId(p.phase).c_str(), p.batch, p.seqLen, queryTokensPerRequest(r.params.workload),
                      heads.c_str(), micro(r.predictedOffS).c_str(), micro(r.predictedOnS).c_str(),
                      micro(p.measuredTimeS).c_str(), r.ratioOn(), p.anomalous ? "  (anomalous)" : "");
        out << line;
    }
    out << "\nSummary over " << summary.points << " points";
    if (summary.anomalous > 0 && summary.anomalous < summary.points)
        out << " (the " << summary.anomalous << " marked anomalous left out of the statistics)";
    out << ":\n";
    out << "  MAPE, derates on:   " << fixed(summary.mapeOnPct, 1) << " %\n";
    out << "  MAPE, derates off:  " << fixed(summary.mapeOffPct, 1) << " %\n";
    if (summary.anomalous > 0 && summary.anomalous < summary.points)
        out << "  MAPE of all points: " << fixed(summary.mapeOnAllPct, 1) << " % on, " << fixed(summary.mapeOffAllPct, 1)
            << " % off\n";
    out << "  median ratio:       " << fixed(summary.medianRatioOn, 3) << " on, " << fixed(summary.medianRatioOff, 3)
        << " off\n";
    if (!rows.empty()) {
        const ValidationRow &w = rows[summary.worstIndex];
        out << "  worst point:        " << w.point.id() << " (" << w.point.hardwareId << ", " << schemeId(w.point.scheme)
            << ", ratio " << fixed(w.ratioOn(), 3) << ")\n";
    }
    out << "  off by more than 2x (not anomalous): " << summary.offBy2x.size();
    for (std::size_t i = 0; i < summary.offBy2x.size(); ++i)
        out << (i ? ", " : " (") << rows[summary.offBy2x[i]].point.id() << (i + 1 == summary.offBy2x.size() ? ")" : "");
    out << "\n";
    if (!fits)
        return out.str();

    out << "\nCalibration (least squares in log time with a prior at the preset's values, per hardware):\n";
    std::snprintf(line, sizeof line, "%-14s %6s %7s  %-15s %-15s %-17s %8s %8s %8s\n", "hardware", "points", "sources",
                  "compute", "bandwidth", "floor (us)", "before", "after", "LOSO");
    out << line;
    const auto change = [](double a, double b, int decimals, bool identified) {
        return fixed(a, decimals) + " -> " + fixed(b, decimals) + (identified ? "" : "*");
    };
    bool anyKept = false;
    for (const HardwareFit &f : *fits) {
        const HardwareCalibration &c = f.calibration;
        anyKept = anyKept || !c.fit.computeIdentified || !c.fit.bandwidthIdentified || !c.fit.floorIdentified;
        std::snprintf(line, sizeof line, "%-14s %6zu %7zu  %-15s %-15s %-17s %7.1f%% %7.1f%% %7.1f%%\n", f.hardwareId.c_str(),
                      f.rows.size(), c.holdouts.size(),
                      change(c.fit.start.computeDerate, c.fit.fitted.computeDerate, 3, c.fit.computeIdentified).c_str(),
                      change(c.fit.start.bandwidthDerate, c.fit.fitted.bandwidthDerate, 3, c.fit.bandwidthIdentified).c_str(),
                      change(c.fit.start.latencyFloorS * 1e6, c.fit.fitted.latencyFloorS * 1e6, 1, c.fit.floorIdentified).c_str(),
                      c.mapeStartPct, c.mapeFittedPct, c.mapeHoldoutPct);
        out << line;
    }
    if (anyKept)
        out << "  * not constrained by these points: the preset's value is kept\n";
    const FitSummary s = summarizeFits(rows, *fits);
    out << "  MAPE over the fitted points: before " << fixed(s.mapeBeforePct, 1) << " %, after (in-sample) "
        << fixed(s.mapeAfterPct, 1) << " %, leave-one-source-out " << fixed(s.mapeHoldoutPct, 1) << " %\n";
    return out.str();
}

nlohmann::json calibratedHardwarePresetJson(const HardwarePreset &base, const HardwareFit &fit,
                                            const std::vector<ValidationRow> &rows)
{
    const HardwareConfig &hw = base.config;
    json j = {{"schema", kHardwareSchema}, {"id", hw.id + "-calibrated"}, {"name", hw.name + " (calibrated)"},
              {"category", hw.category}};
    const std::string points = pointList(rows, fit.rows);
    j["description"] = (base.description.empty() ? hw.name : base.description)
                       + " Attention-kernel efficiencies calibrated by 'mla-studio validate --fit' against "
                       + std::to_string(fit.rows.size()) + " measured points: " + points + ".";
    // Every number as the base preset states it, with its provenance.
    for (const SourcedQuantity &q : base.quantities) {
        const std::size_t dot = q.field.find('.');
        const std::string group = q.field.substr(0, dot), key = q.field.substr(dot + 1);
        json quantity = {{"value", q.value}, {"unit", q.unit}, {"source", q.source}};
        if (!q.note.empty())
            quantity["note"] = q.note;
        if (group == "compute" && (key == "bf16" || key == "fp8" || key == "fp4"))
            quantity["dense"] = true;
        j[group][key] = std::move(quantity);
    }
    const HardwareCalibration &c = fit.calibration;
    const std::string source = "mla-studio validate --fit: least squares in log time (prior at the preset's values) to " + std::to_string(fit.rows.size())
                               + " measured points (" + points + ")";
    const auto previous = [&](const std::string &field) {
        for (const SourcedQuantity &q : base.quantities)
            if (q.field == field)
                return " (source of the replaced value: " + q.source + ")";
        return std::string();
    };
    const std::string mape = "; MAPE of these points " + fixed(c.mapeStartPct, 1) + " % before, " + fixed(c.mapeFittedPct, 1)
                             + " % after, leave-one-source-out " + fixed(c.mapeHoldoutPct, 1) + " %";
    const auto entry = [&](const std::string &key, double value, const char *unit, double before, bool identified,
                           const char *beforeUnit) {
        const std::string note = identified
            ? "fitted; was " + fixed(before, 4) + (*beforeUnit ? std::string(" ") + beforeUnit : std::string()) + previous("derate." + key) + mape
            : "not constrained by these points: kept the preset's value" + previous("derate." + key) + mape;
        j["derate"][key] = {{"value", value}, {"unit", unit}, {"source", source}, {"note", note}};
    };
    entry("attention_compute", c.fit.fitted.computeDerate, "fraction", c.fit.start.computeDerate, c.fit.computeIdentified, "");
    entry("attention_bandwidth", c.fit.fitted.bandwidthDerate, "fraction", c.fit.start.bandwidthDerate,
          c.fit.bandwidthIdentified, "");
    entry("latency_floor", c.fit.fitted.latencyFloorS * 1e6, "us", c.fit.start.latencyFloorS * 1e6, c.fit.floorIdentified, "us");
    return j;
}

} // namespace mlastudio::core
