# SPDX-License-Identifier: MIT
# Desktop integration install rules and CPack (conventions 5.10). Included last by the root CMakeLists.txt.
#   make package       -> build/mla-studio_<version>_<arch>.deb and build/mla-studio-<version>-Linux.tar.gz
#   cpack -G DEB       -> the same by hand, from a configured and built binary directory

set(_pkg ${PROJECT_SOURCE_DIR}/packaging)

if(TARGET mla-studio)
    install(FILES ${_pkg}/mla-studio.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT runtime)
    install(FILES ${_pkg}/io.github.mlastudio.MlaStudio.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT runtime)
    install(FILES ${_pkg}/mla-studio-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages COMPONENT runtime)
    foreach(_size 16 32 48 64 128 256)
        install(FILES ${_pkg}/icons/hicolor/${_size}x${_size}/apps/mla-studio.png
                DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${_size}x${_size}/apps COMPONENT runtime)
    endforeach()
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/mla-studio.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT runtime)
    install(FILES ${_pkg}/mla-studio.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT doc)
endif()

set(CPACK_PACKAGE_NAME "mla-studio")
set(CPACK_PACKAGE_VENDOR "MLA Studio")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})   # otherwise CPack falls back to 0.1.1
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Hardware-centric explorer of MHA vs MLA attention")
set(CPACK_PACKAGE_DESCRIPTION
    "MLA Studio models one decode or prefill step of all attention layers of a transformer on an\n"
    "accelerator with an analytic roofline and energy model, and compares multi-head attention with\n"
    "the execution schemes of DeepSeek's multi-head latent attention (MLA). It ships presets for\n"
    "DeepSeek, Kimi and Llama models and for GPUs, TPUs and edge devices, interactive views and\n"
    "publication-quality figure export, and a command-line evaluator (mla-studio evaluate).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "MLA Studio developers <mla-studio@users.noreply.github.com>")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "mla-studio")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)

# Debian: one package holding every component; dependencies from dpkg-shlibdeps.
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # mla-studio_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, so invisible to the shlib scan: the SVG image plugin for the icon (in libqt6svg6;
# the platform plugins ship with libqt6gui6) and a font for plots and exported figures.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, fonts-dejavu-core")
# Synopsis: CPACK_PACKAGE_DESCRIPTION_SUMMARY; extended description: CPACK_PACKAGE_DESCRIPTION.
# TGZ: relative paths under mla-studio-<version>-Linux/.
set(CPACK_ARCHIVE_FILE_NAME "${CPACK_PACKAGE_NAME}-${CPACK_PACKAGE_VERSION}-Linux")

include(CPack)
