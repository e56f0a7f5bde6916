# find_package(omnirtc) for the C archive: omnirtc::omnirtc is the shared
# library, omnirtc::static the static one (the Go runtime inside needs threads,
# dl and, on glibc before 2.34, libresolv for the resolver).
get_filename_component(_omnirtc_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET omnirtc::omnirtc)
  find_package(Threads REQUIRED)
  add_library(omnirtc::omnirtc SHARED IMPORTED)
  set_target_properties(omnirtc::omnirtc PROPERTIES
    IMPORTED_LOCATION "${_omnirtc_prefix}/lib/libomnirtc.so.0"
    IMPORTED_SONAME "libomnirtc.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${_omnirtc_prefix}/include")
  add_library(omnirtc::static STATIC IMPORTED)
  set_target_properties(omnirtc::static PROPERTIES
    IMPORTED_LOCATION "${_omnirtc_prefix}/lib/libomnirtc.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_omnirtc_prefix}/include"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};resolv")
endif()
unset(_omnirtc_prefix)
