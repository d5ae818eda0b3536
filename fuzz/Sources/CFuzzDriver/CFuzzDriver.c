// Empty: the target only declares libFuzzer's driver for Swift.
#include "CFuzzDriver.h"
