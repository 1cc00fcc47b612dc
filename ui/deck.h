// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotexporter.h"
#include "views/viewfactory.h"

#include <QByteArray>
#include <QString>

#include <string>
#include <vector>

namespace mlastudio::ui {

class Scenario;

inline constexpr const char *kDeckSchema = "mlastudio.deck/1";
inline constexpr const char *kDeckSuffix = ".deck.json";
/** The built-in deck "MLA in six steps" (the shipped gallery as a lecture). */
inline constexpr const char *kBuiltinDeckPath = ":/resources/decks/mla-in-six-steps.deck.json";
/** Largest deck file accepted, in bytes (scenario files it names have their own limit). */
inline constexpr qint64 kMaxDeckBytes = 4 * 1024 * 1024;

/** One step of a deck: a scenario, the view that shows it and the caption said over it. */
struct DeckStep {
    std::string scenarioJson;   //!< the scenario, checked by loading it (Scenario::loadJson accepts it)
    QString source;             //!< the scenario file it came from (absolute), or empty when embedded
    QString caption;
    ViewId view = ViewId::Roofline;
};

/** A scenario sequence with a caption per step (docs/decks.md describes the file). */
struct Deck {
    QString title;
    QString filePath;           //!< the deck file it was read from
    std::vector<DeckStep> steps;

    /** \return the name of step \p index (0-based) in errors and labels: "FILE, step N". */
    QString stepLabel(int index) const;
};

/**
 * Reads a deck file: `{"schema": "mlastudio.deck/1", "title": …, "steps": [{"scenario": FILE or
 * {…}, "caption": …, "view": …}, …]}`. A scenario file is resolved against the deck's folder and
 * loaded (so every step is known to open). \return an empty string on success, else a message
 * naming the deck file, the step and what was wrong; \p deck is then unchanged.
 */
QString loadDeck(const QString &path, Deck *deck);
/** As loadDeck(), from the bytes of a file named \p path. */
QString parseDeck(const QByteArray &bytes, const QString &path, Deck *deck);
/** What a file given to `mla-studio --present` holds. */
enum class PresentFile { Deck, Scenario };
/**
 * Tells a deck from a scenario by content, not by name: a JSON object whose "schema" is kDeckSchema
 * (or that has no schema but "steps") is a deck, one whose "schema" is kScenarioSchema a scenario.
 * \return an empty string with \p kind set, else a message naming \p path and why it is neither.
 */
QString presentFileKind(const QString &path, PresentFile *kind);
/** Puts step \p index of \p deck into \p scenario (its undo history is cleared). \return error or empty. */
QString applyDeckStep(const Deck &deck, int index, Scenario *scenario);

/**
 * Renders a deck as a handout: one PDF page per step, the caption above the step's view, at the
 * size and in the theme of \p options (format ignored). \return the PDF bytes, or empty with the
 * reason in \p error.
 */
QByteArray renderDeckPdf(const Deck &deck, const ExportOptions &options, QString *error);
/** Writes renderDeckPdf() to \p path atomically (a failed write leaves the old file unchanged).
 *  \return error message or empty. */
QString exportDeckPdf(const Deck &deck, const QString &path, const ExportOptions &options);
/** The export options of a handout when none are given: slide size, slides theme. */
ExportOptions defaultDeckOptions();

} // namespace mlastudio::ui
