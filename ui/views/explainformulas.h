// SPDX-License-Identifier: MIT
// The per-operator MAC formulas of core/src/costmodel.cpp, written out for the explain view.
#pragma once

#include "mlastudio/core/costmodel.h"
#include "mlastudio/core/parameters.h"

#include <QString>

namespace mlastudio::ui {

/** One operator's work as a formula. */
struct OperatorFormula {
    QString symbolic;       //!< e.g. "B·n_h·P·(d_c+d_R)"
    QString substituted;    //!< e.g. "1·128·4096·(512+64)"
    double macsPerLayer = 0.0;
    double extraFlopsPerLayer = 0.0; //!< FLOPs that are not MACs (softmax)
    QString extraSymbolic;
};

/** \return the formula of one operator of one scheme (per layer, one step). */
OperatorFormula operatorFormula(const core::Parameters &params, core::Scheme scheme, core::OperatorKind kind);

/** \return the KV-cache-per-token formula of a scheme: symbolic and substituted, with the value in bytes. */
OperatorFormula kvCacheFormula(const core::Parameters &params, core::Scheme scheme);

} // namespace mlastudio::ui
