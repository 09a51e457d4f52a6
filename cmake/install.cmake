# install.cmake -- what `cmake --install` (and `make install PREFIX=...`)
# puts where:
#   include/      ebb.h, wasm.h (the standard C API), ebb_wasm.h
#   lib/          libebb.a, libebb.so.X.Y.Z with its soname libebb.so.X
#   bin/          ebb
#   lib/pkgconfig/ebb.pc          pkg-config --cflags --libs ebb
#   lib/cmake/ebb/                find_package(ebb): ebb::ebb (shared),
#                                 ebb::ebb_static
# The pkg-config file finds its prefix from its own place (${pcfiledir}),
# so an install moved elsewhere, staged with DESTDIR or made with
# --prefix at install time still works. A sanitizer build installs a
# library that needs the sanitizer's runtime: the flag goes into what both
# files tell the embedder to link with.
include(CMakePackageConfigHelpers)

set(EBB_SANITIZE_LINK "")
if(EBB_ENABLE_ASAN)
  set(EBB_SANITIZE_LINK "-fsanitize=address,undefined")
elseif(EBB_ENABLE_TSAN)
  set(EBB_SANITIZE_LINK "-fsanitize=thread")
endif()
if(EBB_SANITIZE_LINK)
  target_link_options(ebb_shared INTERFACE $<INSTALL_INTERFACE:${EBB_SANITIZE_LINK}>)
  target_link_options(ebb_static INTERFACE $<INSTALL_INTERFACE:${EBB_SANITIZE_LINK}>)
endif()

set_target_properties(ebb_shared PROPERTIES EXPORT_NAME ebb)
set_target_properties(ebb_static PROPERTIES EXPORT_NAME ebb_static)
install(TARGETS ebb_shared ebb_static EXPORT ebbTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS ebb RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES include/ebb.h include/wasm.h include/ebb_wasm.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(EBB_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ebb)
install(EXPORT ebbTargets NAMESPACE ebb:: DESTINATION ${EBB_CMAKE_DIR})
configure_package_config_file(cmake/ebbConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/ebbConfig.cmake
                              INSTALL_DESTINATION ${EBB_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ebbConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ebbConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/ebbConfigVersion.cmake
        DESTINATION ${EBB_CMAKE_DIR})

# The way up from lib/pkgconfig (or lib/<triplet>/pkgconfig) to the prefix.
file(RELATIVE_PATH EBB_PC_UP "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/ebb.pc.in ${CMAKE_CURRENT_BINARY_DIR}/ebb.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ebb.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
