; Inno Setup 6 script: the Windows installer of Portfolio Desk, around PyInstaller's one-folder
; build (dist\portfolio-desk\, from packaging\portfolio-desk.spec).
;
;   iscc /DAppVersion=0.1.0 /DDistDir=C:\...\dist\portfolio-desk /DOutputDir=C:\...\out ^
;        packaging\windows\portfolio-desk.iss
;
; packaging\build_windows.ps1 runs PyInstaller, then this. Without the /D options the paths are
; the checkout's (dist\ and the checkout's root, relative to this file).
;
; It installs for the current user by default (no administrator: %LOCALAPPDATA%\Programs),
; or for everyone if the user picks that in the first dialog. The user's portfolio lives in
; %LOCALAPPDATA%\PortfolioDesk, which uninstalling leaves alone.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\portfolio-desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\.."
#endif
#define AppName "Portfolio Desk"
#define AppExe "portfolio-desk-gui.exe"

[Setup]
; The AppId identifies the app to Windows across versions (upgrades replace it in place):
; never change it.
AppId={{74F992A7-27BA-47C2-8398-568BCF00EDB6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Portfolio Desk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; PyInstaller builds for the Python that runs it: the x64 one on the x64 runner.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or later.
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename=PortfolioDesk-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\portfolio-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
LZMAUseSeparateProcess=yes
LZMANumBlockThreads=4
; A running copy is closed (and its files freed) before an upgrade or an uninstall.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle whole: libraries an older build had must not linger beside the
; new ones (Python would import a stale extension module).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
