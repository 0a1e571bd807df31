# Installation rules and the Debian package, included at the end of the top-level CMakeLists.txt.
#
#   cmake --build <build> --target bru bru_man_page
#   cmake --install <build> [--prefix /usr]      bin/bru, the man page, bash completion, sql/
#   tools/package.sh                             build-pkg/bru_<version>_<arch>.deb (Release)
#
# What goes where (paths under the prefix; the package's prefix is /usr):
#   bin/bru
#   share/man/man1/bru.1.gz                      bru/doc/bru.1, version filled in, gzip -9n
#   share/bash-completion/completions/bru        bru/doc/bru.bash-completion
#   share/bru/...                                everything the repository's sql/ folder holds
include(GNUInstallDirs)

# The man page with the version filled in, gzipped as Debian policy asks: -9, and -n so that the
# same page gives the same bytes (no file name or time stamp in the gzip header).
set(BRU_MAN_PAGE ${CMAKE_BINARY_DIR}/doc/bru.1)
configure_file(${CMAKE_SOURCE_DIR}/bru/doc/bru.1 ${BRU_MAN_PAGE} @ONLY)
find_program(BRU_GZIP gzip REQUIRED)
add_custom_command(
  OUTPUT ${BRU_MAN_PAGE}.gz
  COMMAND ${BRU_GZIP} -9 -n -k -f ${BRU_MAN_PAGE}
  DEPENDS ${BRU_MAN_PAGE}
  COMMENT "gzip the man page bru(1)")
add_custom_target(bru_man_page ALL DEPENDS ${BRU_MAN_PAGE}.gz)

# Installing (and cpack) needs bru and the man page only: without this, `make install` and cpack
# first build every target, the test binaries included. tools/package.sh builds the two itself.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
install(TARGETS bru RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${BRU_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/bru/doc/bru.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME bru)
# OPTIONAL: a checkout without sql/ still installs. A file added to sql/ is picked up at install
# time, without re-running cmake.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/sql/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bru
        OPTIONAL)

# The Debian package. Depends: comes from the binary's shared libraries (dpkg-shlibdeps, package
# dpkg-dev); the ODBC drivers are Recommends:, since a DBA needs only the engines they use.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bru)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "backup, restore and schema updates for databases, through ODBC")
set(CPACK_PACKAGE_DESCRIPTION
    "bru backs up database tables into one compressed, checksummed archive file (an SQLite file),
restores such an archive into the same or another engine and verifies the result, and applies
versioned SQL update scripts, each section at most once. PostgreSQL, MariaDB, SQL Server,
Oracle and SQLite are reached through unixODBC; see bru(1).")
set(BRU_PACKAGE_MAINTAINER "bru maintainers <bru-maintainers@localhost>"
    CACHE STRING "Maintainer: field of the Debian package")
set(CPACK_PACKAGE_CONTACT ${BRU_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${BRU_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # bru_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "odbc-postgresql, odbc-mariadb, libsqliteodbc, tdsodbc")
# odbcinst and isql, to list and try the drivers bru finds.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "unixodbc")
# A stripped binary: the package is for running bru, not debugging it (RelWithDebInfo's 20+ MB
# of debug info would otherwise ship too).
set(CPACK_STRIP_FILES ON)
# Folders as dpkg expects them (755), whatever the umask of the build.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
include(CPack)
