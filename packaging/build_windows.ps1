<#
.SYNOPSIS
Build the Windows app (PyInstaller's one folder) and its installer (Inno Setup 6).

.DESCRIPTION
Writes OUT\dist\portfolio-desk\ (portfolio-desk.exe for the command line, portfolio-desk-gui.exe
for the window, _internal\ with Python and Qt) and OUT\PortfolioDesk-VERSION-windows-x64-setup.exe.
PYTHON must have the project's dependencies and PyInstaller (pip install -e ".[build]").
Inno Setup's compiler is looked for on PATH and in its default folders; install it with
"choco install innosetup" if it is not there. The release workflow runs this script.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1 -Out build-out
#>
param(
    [string]$Out = (Join-Path $PSScriptRoot ".."),
    [string]$Python = "python"
)
$ErrorActionPreference = "Stop"
$root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
New-Item -ItemType Directory -Force -Path $Out | Out-Null
$Out = (Resolve-Path $Out).Path
$version = (Select-String -Path "$root\desktop\__init__.py" -Pattern '^__version__ = "(.+)"').Matches[0].Groups[1].Value
$started = Get-Date

Write-Host "+ PyInstaller with $Python"
& $Python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath "$Out\dist" --workpath "$Out\build\pyinstaller" "$root\packaging\portfolio-desk.spec"
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed ($LASTEXITCODE)" }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $iscc = @(
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $iscc) { throw "Inno Setup 6 is not installed (choco install innosetup)" }

Write-Host "+ Inno Setup ($iscc)"
& $iscc /Qp "/DAppVersion=$version" "/DDistDir=$Out\dist\portfolio-desk" "/DOutputDir=$Out" `
    "$root\packaging\windows\portfolio-desk.iss"
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed ($LASTEXITCODE)" }

$setup = Join-Path $Out "PortfolioDesk-$version-windows-x64-setup.exe"
$size = (Get-ChildItem -Recurse -File "$Out\dist\portfolio-desk" | Measure-Object -Sum Length).Sum
Write-Host ("built in {0:N0} s:" -f ((Get-Date) - $started).TotalSeconds)
Write-Host ("  $Out\dist\portfolio-desk ({0:N0} MB)" -f ($size / 1MB))
Write-Host ("  $setup ({0:N0} MB)" -f ((Get-Item $setup).Length / 1MB))
