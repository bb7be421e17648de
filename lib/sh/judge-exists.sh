# An object exists: any line printed means it is listed.
query='{.metadata.name}{"\n"}'
judge() {
  return 0
}
