// SPDX-License-Identifier: MIT
// Output of the platform comparison: JSON, CSV and the table of `evaluate --hardware a,b`.
#include "mlastudio/core/platforms.h"
#include "mlastudio/core/report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace mlastudio::core {

namespace {

std::string num(double v)
{
    if (!std::isfinite(v))
        return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

nlohmann::json finiteOrNull(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

std::string normalizedLabel(Normalization n, bool energy)
{
    switch (n) {
    case Normalization::Absolute: return energy ? "J/token" : "tokens/s";
    case Normalization::RelativeToMha: return energy ? "E/E_MHA" : "speed-up";
    case Normalization::FractionOfPeak: break;
    }
    return energy ? "J/token" : "utilisation";
}

} // namespace

nlohmann::json platformsToJson(const Parameters &base, const std::vector<PlatformRow> &rows,
                               std::optional<Normalization> normalization)
{
    using nlohmann::json;
    json ids = json::array(), list = json::array();
    for (const PlatformRow &row : rows) {
        ids.push_back(row.hardware.id);
        for (const PlatformCell &c : row.cells) {
            if (!c.valid)
                continue;
            json r = resultToJson(c.result);
            r["hardware"] = row.hardware.id;
            r["platform_class"] = std::string(platformClassId(row.platformClass));
            r["machine_balance_flop_per_byte"] = row.machineBalanceFlopPerByte;
            r["utilisation"] = c.utilisation;
            if (normalization) {
                r["normalized_throughput"] = finiteOrNull(normalizedThroughput(row, c, *normalization));
                r["normalized_energy"] = finiteOrNull(normalizedEnergy(row, c, *normalization));
            }
            list.push_back(std::move(r));
        }
    }
    json doc{{"schema", kEvaluateSchema}, {"parameters", parametersToJson(base)}, {"hardware", ids}, {"results", list}};
    if (normalization)
        doc["normalization"] = std::string(normalizationId(*normalization));
    return doc;
}

std::string platformsToCsv(const std::vector<PlatformRow> &rows, std::optional<Normalization> normalization)
{
    std::ostringstream out;
    out << "hardware,platform_class,machine_balance_flop_per_byte,scheme,phase,time_s,tokens_per_s,energy_per_token_j,"
           "compute_energy_j,sram_energy_j,dram_energy_j,static_energy_j,bound,fits_in_dram,utilisation";
    if (normalization)
        out << ",normalization,normalized_throughput,normalized_energy";
    out << "\n";
    for (const PlatformRow &row : rows)
        for (const PlatformCell &c : row.cells) {
            if (!c.valid)
                continue;
            const StepResult &r = c.result;
            out << row.hardware.id << "," << platformClassId(row.platformClass) << "," << num(row.machineBalanceFlopPerByte)
                << "," << schemeId(r.scheme) << "," << phaseId(r.phase) << "," << num(r.timeS) << "," << num(r.tokensPerS)
                << "," << num(r.energyPerTokenJ) << "," << num(r.computeEnergyJ) << "," << num(r.sramEnergyJ) << ","
                << num(r.dramEnergyJ) << "," << num(r.staticEnergyJ) << "," << boundId(r.bound) << ","
                << (r.fitsInDram ? "true" : "false") << "," << num(c.utilisation);
            if (normalization)
                out << "," << normalizationId(*normalization) << "," << num(normalizedThroughput(row, c, *normalization))
                    << "," << num(normalizedEnergy(row, c, *normalization));
            out << "\n";
        }
    return out.str();
}

std::string platformsToTable(const Parameters &p, const std::vector<PlatformRow> &rows,
                             std::optional<Normalization> normalization)
{
    std::ostringstream out;
    const Workload &w = p.workload;
    out << p.model.name << " on " << rows.size() << " platforms (by machine balance), " << phaseId(w.phase)
        << ", B=" << w.batch << ", L=" << w.kvLength << ", S=" << queryTokensPerRequest(w) << ", W"
        << p.precision.weightBits << "/KV" << p.precision.kvBits << "/A" << p.precision.activationBits
        << (p.applyDerates ? ", derated" : "") << "\n\n";
    char line[512];
    std::snprintf(line, sizeof line, "%-16s %-11s %9s %-17s %12s %12s %10s %8s %5s", "hardware", "class", "FLOP/B",
                  "scheme", "tokens/s", "energy/token", "util.", "bound", "fits");
    out << line;
    if (normalization) {
        std::snprintf(line, sizeof line, " %12s %12s", normalizedLabel(*normalization, false).c_str(),
                      normalizedLabel(*normalization, true).c_str());
        out << line;
    }
    out << "\n";
    std::vector<Scheme> schemes;
    for (const PlatformRow &row : rows) {
        if (!row.problem.empty())
            out << row.hardware.id << ": cannot evaluate: " << row.problem << "\n";
        for (const PlatformCell &c : row.cells) {
            if (std::find(schemes.begin(), schemes.end(), c.scheme) == schemes.end())
                schemes.push_back(c.scheme);
            if (!c.valid)
                continue;
            const StepResult &r = c.result;
            std::snprintf(line, sizeof line, "%-16s %-11s %9.4g %-17s %12s %12s %9.1f%% %8s %5s", row.hardware.id.c_str(),
                          std::string(platformClassId(row.platformClass)).c_str(), row.machineBalanceFlopPerByte,
                          std::string(schemeId(r.scheme)).c_str(), formatTokenRate(r.tokensPerS, "tok/s").c_str(),
                          formatSi(r.energyPerTokenJ, "J").c_str(), 100.0 * c.utilisation,
                          std::string(boundId(r.bound)).c_str(), r.fitsInDram ? "yes" : "no");
            out << line;
            if (normalization) {
                const double t = normalizedThroughput(row, c, *normalization);
                const double e = normalizedEnergy(row, c, *normalization);
                std::snprintf(line, sizeof line, " %12.4g %12.4g", t, e);
                out << line;
            }
            out << "\n";
        }
    }
    out << "\nStability of utilisation across the platforms (max/min, coefficient of variation):\n";
    for (const Stability &s : stabilityOf(rows, schemes)) {
        if (s.platforms == 0)
            continue;
        std::snprintf(line, sizeof line, "  %-17s %7.3g  %6.3f  (%d platforms, %.1f%% to %.1f%%)\n",
                      std::string(schemeId(s.scheme)).c_str(), s.maxOverMin, s.coefficientOfVariation, s.platforms,
                      100.0 * s.minUtilisation, 100.0 * s.maxUtilisation);
        out << line;
    }
    return out.str();
}

} // namespace mlastudio::core
