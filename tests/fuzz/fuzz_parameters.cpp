// SPDX-License-Identifier: MIT
// libFuzzer target: JSON text -> core::parametersFromJson -> core::validate -> core::evaluate for every
// applicable scheme. Valid parameters must give finite results (every number of every scheme);
// parametersFromJson may only throw std::invalid_argument, must read every number as written (an
// over-range integer is an error, never wrapped) and parametersToJson must round-trip.
#include "fuzz_common.h"

#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/report.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return 0;
    mlastudio::core::Parameters params;
    try {
        params = mlastudio::core::parametersFromJson(j, mlastudio::core::Parameters{});
    } catch (const std::invalid_argument &) {
        return 0;
    }
    // Whatever was read is what the document says: no integer wrapped into range, no number altered.
    for (const mlastudio::core::InputLimit &l : mlastudio::core::allInputLimits()) {
        const std::string key(l.jsonKey);
        const std::string section = key.substr(0, key.find('.'));
        const std::string name = key.substr(key.find('.') + 1);
        if (!j.contains(section) || !j.at(section).contains(name))
            continue;
        const nlohmann::json &v = j.at(section).at(name);
        if (l.value(params) != v.get<double>() || !mlastudio::core::withinLimit(l, l.value(params))) {
            std::fprintf(stderr, "fuzz: %s = %s in the document was read as %g\n", key.c_str(), v.dump().c_str(),
                         l.value(params));
            std::abort();
        }
    }
    // Every accepted input evaluates to finite numbers for every scheme (checkEvaluation aborts if not).
    mlastudio::fuzz::checkEvaluation(params);

    // What we write we must read back unchanged.
    const nlohmann::json written = mlastudio::core::parametersToJson(params);
    const mlastudio::core::Parameters again = mlastudio::core::parametersFromJson(written, mlastudio::core::Parameters{});
    if (mlastudio::core::parametersToJson(again) != written) {
        std::fprintf(stderr, "fuzz: parametersToJson/parametersFromJson do not round-trip:\n%s\n", written.dump().c_str());
        std::abort();
    }
    return 0;
}
