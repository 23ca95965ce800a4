# jingsai_embed(OUTPUT HEADER NAMESPACE FUNCTION FILES...)
# Adds a build step that embeds FILES into OUTPUT (see embed.cmake).
function(jingsai_embed output header namespace function)
  # '|' rather than ';' between files, so the list survives the shell.
  string(REPLACE ";" "|" inputs "${ARGN}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} "-DINPUTS=${inputs}" -DHEADER=${header}
            -DNAMESPACE=${namespace} -DFUNCTION=${function}
            -P ${JINGSAI_INCLUDE_ROOT}/cmake/embed.cmake
    DEPENDS ${ARGN} ${JINGSAI_INCLUDE_ROOT}/cmake/embed.cmake
    COMMENT "Embedding ${function}"
    VERBATIM
  )
endfunction()
