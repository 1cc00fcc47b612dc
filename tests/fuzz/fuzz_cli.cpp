// SPDX-License-Identifier: MIT
// libFuzzer target: the command line. The input is split at whitespace into arguments after the
// program name and handed to mlastudio::app::runSubcommand with QTextStreams on QString buffers.
// Requirements: no crash, no exception escaping, exit code 0, 1 or 2, and `--format json` output that
// parses when the exit code is 0.
// Subcommands that render widgets (export, figures, bench-ui) need a QApplication and write files, so
// they are left to the tests; arguments naming paths ('/') are skipped so nothing outside the scratch
// directory is read.
#include "commandline.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

QCoreApplication *g_app = nullptr;
std::string g_scratch;

void removeScratch()
{
    std::error_code ignored;
    std::filesystem::remove_all(g_scratch, ignored);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // A scratch home, so user presets and relative paths come from an empty directory.
    char dir[] = "/tmp/mlastudio-fuzz-cli-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0)
        std::abort();
    g_scratch = dir;
    std::atexit(removeScratch);
    setenv("HOME", dir, 1);
    setenv("XDG_DATA_HOME", dir, 1);
    setenv("XDG_CONFIG_HOME", dir, 1);
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    static int argc = 1;
    static char name[] = "mla-studio";
    static char *argv[] = {name, nullptr};
    QCoreApplication::setOrganizationName(QStringLiteral("MLA Studio"));
    QCoreApplication::setApplicationName(QStringLiteral("mla-studio"));
    g_app = new QCoreApplication(argc, argv); // lives for the whole run
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > 4096)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QStringList args{QStringLiteral("mla-studio")};
    const QStringList words = text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (words.size() > 64)
        return 0;
    for (const QString &w : words) {
        if (w.contains(QLatin1Char('/')) || w.contains(QLatin1Char('\\')))
            return 0;
        args << w;
    }
    if (mlastudio::app::subcommandNeedsWidgets(args.value(1)))
        return 0;

    QString outText;
    QString errText;
    int rc = 0;
    {
        QTextStream out(&outText);
        QTextStream err(&errText);
        rc = mlastudio::app::runSubcommand(args, out, err);
    }
    if (rc != 0 && rc != 1 && rc != 2) {
        std::fprintf(stderr, "fuzz: exit code %d\n", rc);
        std::abort();
    }
    // QCommandLineParser takes every name of the help option with one dash or two ("--h" too).
    bool help = false;
    for (const char *name : {"h", "?", "help", "help-all"})
        help = help || args.contains(QLatin1Char('-') + QLatin1String(name)) || args.contains(QStringLiteral("--") + QLatin1String(name));
    if (rc == 0 && !help && args.value(1) == QLatin1String("evaluate") && args.contains(QStringLiteral("--format=json"))) {
        const std::string json = outText.toStdString();
        if (!nlohmann::json::accept(json)) {
            std::fprintf(stderr, "fuzz: evaluate --format=json printed something that is not JSON:\n%s\n", json.c_str());
            std::abort();
        }
    }
    if (rc != 0 && errText.isEmpty()) {
        std::fprintf(stderr, "fuzz: exit code %d without a message\n", rc);
        std::abort();
    }
    return 0;
}
